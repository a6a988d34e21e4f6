-- End-to-end test of the plugin in headless Neovim, against the real nginxls:
--   NGINXLS=bin/nginxls NGINXLS_TESTDATA=editors/testdata NGINXLS_WORK=$(mktemp -d) \
--   nvim --headless --clean --cmd 'set rtp^=editors/nvim' -c 'luafile editors/nvim/test/e2e.lua'
-- Filetype detection, diagnostics (byte columns after non-ASCII text),
-- hover, a quick fix through vim.lsp.buf.code_action, settings without a
-- restart, :NginxlsCiphers, :NginxlsRestart and :checkhealth nginxls.
local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/lib.lua")
local check, wait = T.check, T.wait

local bin = T.env("NGINXLS")
local testdata = T.env("NGINXLS_TESTDATA")
local work = T.env("NGINXLS_WORK")

local function health_lines()
  vim.cmd("checkhealth nginxls")
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.cmd("tabclose")
  return table.concat(lines, "\n")
end

T.run(function()
  check(vim.fn.has("nvim-0.7") == 1, "Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor))

  -- The plugin's own logic.
  local nginxls = require("nginxls")
  check(vim.json.encode(nginxls.server_settings({ rules = {}, openssl = "" })) == "{}", "empty settings are a JSON object")
  local s = nginxls.server_settings({ nginxVersion = " 1.24.0 ", rules = { syntax = "ERROR", x = 3 }, ["server.path"] = "/x" })
  check(vim.deep_equal(s, { nginxVersion = "1.24.0", rules = { syntax = "error" } }), "settings mapping")
  s = nginxls.server_settings({ maxDiagnostics = 0 })
  check(vim.json.encode(s) == '{"maxDiagnostics":0}', "maxDiagnostics 0 is sent: " .. vim.json.encode(s))
  s = nginxls.server_settings({ maxDiagnostics = -1 })
  check(vim.json.encode(s) == "{}", "a negative maxDiagnostics is not sent")
  s = nginxls.server_settings({ mainConfig = "conf/nginx.conf" })
  check(s.mainConfig == vim.fn.getcwd() .. "/conf/nginx.conf", "mainConfig made absolute: " .. tostring(s.mainConfig))
  local ciphers = require("nginxls.ciphers")
  local function find(text)
    local at = text:find("|", 1, true)
    return ciphers.find(text:sub(1, at - 1) .. text:sub(at + 1), at)
  end
  check((find('server {\n  ssl_ciphers "HIGH:!a|NULL";\n}') or {}).value == "HIGH:!aNULL", "ciphers: quoted value")
  check((find("location / { proxy_ssl_ciphers 'ECDHE|+AESGCM'; }") or {}).name == "proxy_ssl_ciphers", "ciphers: proxy_ variant")
  check((find('add_header X "😀"; ssl_ciphers HI|GH;') or {}).value == "HIGH", "ciphers: after multi-byte text")
  check((find("ssl_ciphers A#B|;") or {}).value == "A#B", "ciphers: # inside a word")
  check((find("|    ssl_ciphers HIGH;") or {}).value == "HIGH", "ciphers: cursor in the indentation")
  check(find("# ssl_ciphers HI|GH;") == nil, "ciphers: not in a comment")
  check(find("ssl_prefer_server_ciphers o|n;") == nil, "ciphers: not another directive")
  check(vim.deep_equal(ciphers.argv("nginxls", "-ALL", "1.0.2"), { "nginxls", "ciphers", "--openssl", "1.0.2", "--", "-ALL" }),
    "ciphers: argv")
  local spec = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h:h") .. "/lsp/nginxls.lua")
  check(spec.cmd[1] == "nginxls" and vim.deep_equal(spec.filetypes, { "nginx" }), "lsp/nginxls.lua for vim.lsp.enable (0.11+)")

  -- Filetype detection: the shared list of the VS Code extension.
  for line in io.lines(testdata .. "/filetypes.tsv") do
    local path, want = line:match("^([^#][^\t]*)\t(.*)$")
    if path then
      vim.cmd("silent edit " .. vim.fn.fnameescape(path))
      local ft = vim.bo.filetype
      check((ft == "nginx") == (want == "nginx"), ("filetype of %s is %q"):format(path, ft))
      vim.cmd("bwipeout!")
    end
  end

  -- conf.d/*.conf is nginx only through the plugin's ftdetect.
  local file = T.fixture(testdata, work .. "/site/conf.d", "app.conf")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  check(vim.bo.filetype == "nginx", "site/conf.d/app.conf opens as nginx")

  nginxls.setup({
    cmd = { bin, "serve" },
    settings = { nginxVersion = "1.28.0", rules = {} },
    flags = { debounce_text_changes = 0 },
  })
  check(wait(10000, function()
    return T.diag(bufnr, "tls-protocol-legacy-tls") ~= nil
  end), "diagnostics arrive for the buffer opened before setup()")
  local client = nginxls.clients()[1]
  check(client and client.name == "nginxls", "one nginxls client")
  check(#nginxls.clients() == 1, "exactly one client")

  -- Positions: Neovim turns the server's UTF-16 columns into bytes.
  local lnum, line = T.line_of(bufnr, "ssl_protocols")
  local col = line:find("TLSv1 ", 1, true) - 1
  check(vim.str_utfindex(line, col) ~= col, "the line has multi-byte text before the finding")
  local d = T.diag(bufnr, "tls-protocol-legacy-tls")
  check(
    d.lnum == lnum and d.col == col and d.end_lnum == lnum and d.end_col == col + 5,
    ("legacy TLS at %d:%d-%d, got %d:%d-%d"):format(lnum, col, col + 5, d.lnum, d.col, d.end_col)
  )
  check(d.severity == vim.diagnostic.severity.WARN, "warning severity")
  check(d.source == "nginxls", "source nginxls")
  local curve = T.diag(bufnr, "tls-curve-weak")
  local cline = curve and vim.api.nvim_buf_get_lines(bufnr, curve.lnum, curve.lnum + 1, false)[1]
  check(curve and cline:sub(curve.col + 1, curve.end_col) == "secp192r1", "tls-curve-weak covers secp192r1")
  check(curve and curve.severity == vim.diagnostic.severity.ERROR, "error severity")

  -- Hover, through vim.lsp.buf.hover and its floating window.
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col + 2 })
  local params = vim.lsp.util.make_position_params()
  local res = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", params, 5000) or {}
  local hover
  for _, r in pairs(res) do
    hover = r.result and r.result.contents.value or hover
  end
  check(hover and hover:find("tls-protocol-legacy-tls", 1, true), "hover explains the finding")
  vim.lsp.buf.hover()
  local float
  wait(5000, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= "" then
        float = w
        return true
      end
    end
  end)
  local float_text = float and table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), "\n")
  check(float_text and float_text:find("RFC 8996", 1, true), "vim.lsp.buf.hover shows it in a floating window")
  if float then
    vim.api.nvim_win_close(float, true)
  end

  -- Quick fix: vim.lsp.buf.code_action, choosing the fix as a user would.
  local chosen
  vim.ui.select = function(items, _, on_choice)
    for i, item in ipairs(items) do
      local action = item[2]
      if action.kind == "quickfix" and action.diagnostics and action.diagnostics[1].code == "tls-protocol-legacy-tls" then
        chosen = action
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
  vim.lsp.buf.code_action()
  check(wait(5000, function()
    return chosen ~= nil
  end), "a quick fix is offered: " .. (chosen and chosen.title or "none"))
  check(wait(5000, function()
    return vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]:find("ssl_protocols TLSv1.2 TLSv1.3;", 1, true)
  end), "the fix is applied to the buffer")
  check(vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]:find('add_header X-Note "naïve ☕ 😀";', 1, true),
    "text before the fix is untouched")
  check(wait(10000, function()
    return T.diag(bufnr, "tls-protocol-legacy-tls") == nil
  end), "the diagnostic disappears after the fix")
  check(T.diag(bufnr, "tls-curve-weak") ~= nil, "other findings stay")

  -- Settings reach the running server without a restart.
  local id = client.id
  nginxls.set_settings({ rules = { ["tls-early-data"] = "off", ["tls-curve-weak"] = "hint" } })
  check(wait(10000, function()
    local c = T.diag(bufnr, "tls-curve-weak")
    return T.diag(bufnr, "tls-early-data") == nil and c and c.severity == vim.diagnostic.severity.HINT
  end), "set_settings: a rule switched off, another downgraded to hint")
  check(nginxls.clients()[1].id == id, "same client")

  -- :NginxlsCiphers on the ssl_ciphers line.
  local clnum = T.line_of(bufnr, "ssl_ciphers")
  vim.api.nvim_win_set_cursor(0, { clnum + 1, 8 })
  vim.cmd("NginxlsCiphers")
  local shown = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  check(shown[1] == "# ssl_ciphers HIGH:!aNULL:!MD5", ":NginxlsCiphers reads the directive: " .. tostring(shown[1]))
  check(shown[2] == "# " .. bin .. " ciphers -- HIGH:!aNULL:!MD5", ":NginxlsCiphers runs nginxls ciphers: " .. tostring(shown[2]))
  vim.fn.system({ bin, "help", "ciphers" })
  if vim.v.shell_error == 0 then
    check(table.concat(shown, "\n"):find("AES", 1, true), ":NginxlsCiphers lists the suites")
  else
    T.log("skip - this nginxls has no ciphers command")
  end
  vim.cmd("close")
  check(vim.api.nvim_get_current_buf() == bufnr, "back in the configuration")

  -- :NginxlsRestart: a new server, findings back, settings kept.
  vim.cmd("NginxlsRestart")
  check(vim.lsp.client_is_stopped(id), "the old client stopped")
  check(wait(10000, function()
    local c = nginxls.clients()[1]
    return c and c.id ~= id and T.diag(bufnr, "tls-curve-weak") ~= nil
  end), ":NginxlsRestart starts a new client and diagnostics return")
  check(T.diag(bufnr, "tls-early-data") == nil, "settings survive the restart")

  -- :checkhealth nginxls
  local report = health_lines()
  check(report:find("OK:? binary: " .. vim.pesc(bin)), "checkhealth: binary found")
  check(report:find("OK:? version: nginxls"), "checkhealth: version")
  check(report:find("OK:? server starts: nginxls"), "checkhealth: server starts" .. (report:match("\n[^\n]*server does not start[^\n]*") or ""))
  check(report:find("OK:? 1 running client"), "checkhealth: the running client")
  check(not report:find("ERROR"), "checkhealth: no error")

  -- Shut down.
  local ids = {}
  for _, c in ipairs(nginxls.clients()) do
    table.insert(ids, c.id)
  end
  vim.lsp.stop_client(ids)
  check(wait(5000, function()
    for _, i in ipairs(ids) do
      if not vim.lsp.client_is_stopped(i) then
        return false
      end
    end
    return true
  end), "shutdown and exit")

  -- :checkhealth reports a missing binary.
  local notified = {}
  local notify = vim.notify
  vim.notify = function(msg)
    table.insert(notified, msg)
  end
  nginxls.setup({ cmd = { work .. "/missing/nginxls", "serve" } })
  vim.notify = notify
  check(notified[1] and notified[1]:find("not executable", 1, true), "setup() warns about a missing binary")
  report = health_lines()
  check(report:find("ERROR:? nginxls binary not found"), "checkhealth: a missing binary is an error")
end)

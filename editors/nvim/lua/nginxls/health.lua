-- :checkhealth nginxls: the binary is found, says its version, and the
-- language server answers initialize and shuts down cleanly.
local M = {}

local health = vim.health or require("health")
-- 0.7/0.8 name these report_*; 0.10 deprecates those names.
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local err = health.error or health.report_error
local info = health.info or health.report_info

local function frame(msg)
  local body = vim.json.encode(msg)
  return "Content-Length: " .. #body .. "\r\n\r\n" .. body
end

--- Runs `cmd` as a server the way a client does: initialize, and once it
--- is answered shutdown, and once that is answered exit. Returns the
--- server's name and version, or nil and what went wrong.
function M.probe(cmd, timeout_ms)
  timeout_ms = timeout_ms or 5000
  local buf, stderr, result, code = "", {}, nil, nil
  local job
  local function on_message(msg)
    if msg.id == 1 then
      result = msg.result
      vim.fn.chansend(job, frame({ jsonrpc = "2.0", id = 2, method = "shutdown" }))
    elseif msg.id == 2 then
      vim.fn.chansend(job, frame({ jsonrpc = "2.0", method = "exit" }))
      vim.fn.chanclose(job, "stdin")
    end
  end
  local ok_start
  ok_start, job = pcall(vim.fn.jobstart, cmd, {
    on_stdout = function(_, data)
      buf = buf .. table.concat(data, "\n")
      while true do
        local blank = buf:find("\r\n\r\n", 1, true)
        local len = blank and tonumber(buf:sub(1, blank):match("Content%-Length: (%d+)"))
        if not len or #buf < blank + 3 + len then
          break
        end
        local body = buf:sub(blank + 4, blank + 3 + len)
        buf = buf:sub(blank + 4 + len)
        local decoded_ok, msg = pcall(vim.json.decode, body)
        if decoded_ok then
          on_message(msg)
        end
      end
    end,
    on_stderr = function(_, data)
      vim.list_extend(stderr, data)
    end,
    on_exit = function(_, c)
      code = c
    end,
  })
  if not ok_start or job <= 0 then
    return nil, "could not run " .. table.concat(cmd, " ")
  end
  vim.fn.chansend(
    job,
    frame({
      jsonrpc = "2.0",
      id = 1,
      method = "initialize",
      params = { processId = vim.NIL, rootUri = vim.NIL, capabilities = vim.empty_dict() },
    })
  )
  if not vim.wait(timeout_ms, function()
    return code ~= nil
  end, 10) then
    vim.fn.jobstop(job)
    return nil, "no clean exit within " .. timeout_ms .. " ms" .. (result and "" or " (initialize was not answered)")
  end
  if code ~= 0 then
    return nil, "exit status " .. code .. ": " .. table.concat(stderr, "\n")
  end
  if not result or not result.serverInfo then
    return nil, "no initialize result"
  end
  return result.serverInfo
end

function M.check()
  start("nginxls")
  if vim.fn.has("nvim-0.7") ~= 1 then
    err("Neovim 0.7 or newer is needed")
    return
  end
  local plugin = require("nginxls")
  local cfg = plugin.effective_config()
  if not plugin.config then
    warn('require("nginxls").setup() has not been called: checking the default command')
  end
  local bin = cfg.cmd[1]
  local path = vim.fn.exepath(bin)
  if path == "" then
    err("nginxls binary not found: " .. bin, {
      "Install it: go install github.com/nginxls/nginxls/cmd/nginxls@latest",
      'Or point setup() at it: require("nginxls").setup({ cmd = { "/path/to/nginxls", "serve" } })',
    })
    return
  end
  ok("binary: " .. path)

  local version = vim.fn.system({ path, "version" })
  if vim.v.shell_error ~= 0 then
    err("`" .. bin .. " version` failed: " .. version)
  else
    ok("version: " .. vim.trim(version))
  end

  local server, why = M.probe(vim.list_extend({ path }, vim.list_slice(cfg.cmd, 2)))
  if server then
    ok(("server starts: %s %s answers initialize and exits cleanly"):format(server.name, server.version or ""))
  else
    err("server does not start: " .. why)
  end

  if vim.lsp.start then
    info("starts servers with vim.lsp.start")
  else
    info("starts servers with vim.lsp.start_client (Neovim 0.7)")
  end
  local clients = plugin.clients()
  if #clients > 0 then
    local bufs = 0
    for _, c in ipairs(clients) do
      bufs = bufs + vim.tbl_count(vim.lsp.get_buffers_by_client_id(c.id))
    end
    ok(("%d running client(s), attached to %d buffer(s)"):format(#clients, bufs))
  else
    info("no nginxls client is running (open an nginx file)")
  end
end

return M

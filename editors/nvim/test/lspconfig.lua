-- With nvim-lspconfig installed, setup() registers nginxls there and lets
-- lspconfig start it. Runs with test/fake-lspconfig on the runtime path:
--   nvim --headless --clean --cmd 'set rtp^=editors/nvim,editors/nvim/test/fake-lspconfig' \
--     -c 'luafile editors/nvim/test/lspconfig.lua'
local T = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/lib.lua")
local check, wait = T.check, T.wait

local bin = T.env("NGINXLS")
local testdata = T.env("NGINXLS_TESTDATA")
local work = T.env("NGINXLS_WORK")

T.run(function()
  local file = T.fixture(testdata, work .. "/lspconfig/sites-enabled", "app.conf")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()

  local attached
  require("nginxls").setup({
    cmd = { bin, "serve" },
    settings = { openssl = "1.1.1" },
    flags = { debounce_text_changes = 0 },
    on_attach = function(client)
      attached = client.name
    end,
  })
  local configs = require("lspconfig.configs")
  local def = rawget(configs, "nginxls")
  check(def ~= nil, "nginxls is registered in lspconfig.configs")
  local dc = def and def.document_config.default_config or {}
  check(vim.deep_equal(dc.cmd, { bin, "serve" }), "default_config.cmd")
  check(vim.deep_equal(dc.filetypes, { "nginx" }), "default_config.filetypes")
  check(type(dc.root_dir) == "function" and dc.root_dir(file) == vim.fn.fnamemodify(file, ":h"), "default_config.root_dir")
  check(dc.settings and dc.settings.nginxls.openssl == "1.1.1", "default_config.settings")
  check(def and #def.setup_calls == 1, "lspconfig's setup() is called once")
  check(wait(10000, function()
    return T.diag(bufnr, "tls-protocol-legacy-tls") ~= nil
  end), "lspconfig starts the server: diagnostics for the open buffer")
  check(wait(5000, function()
    return attached == "nginxls"
  end), "on_attach runs")
  local id = require("nginxls").clients()[1].id

  vim.cmd("NginxlsRestart")
  check(wait(10000, function()
    local c = require("nginxls").clients()[1]
    return c and c.id ~= id and T.diag(bufnr, "tls-curve-weak") ~= nil
  end), ":NginxlsRestart relaunches through lspconfig")
  check(#require("nginxls").clients() == 1, "one client after the restart")

  vim.lsp.stop_client(vim.lsp.get_active_clients())
end)

-- nginxls for Neovim: starts `nginxls serve` for nginx buffers.
--
--   require("nginxls").setup({ cmd = { "nginxls", "serve" }, settings = { rules = { ... } } })
--
-- Works on Neovim 0.7 (vim.lsp.start_client) and uses vim.lsp.start where
-- it exists (0.8+). With nvim-lspconfig installed (and no vim.lsp.config,
-- i.e. before 0.11), the server is registered there and lspconfig starts it,
-- so :LspInfo, :LspRestart and :LspStop know it.
local M = {}

local NAME = "nginxls"

local defaults = {
  cmd = { "nginxls", "serve" },
  filetypes = { "nginx" },
  -- The directory of the nearest of these above a file is the workspace
  -- root; the file's own directory otherwise.
  root_markers = { "nginx.conf", ".git" },
  -- Sent as initializationOptions and answered for workspace/configuration
  -- section "nginxls": nginxVersion, openssl, platform, profile, rules, mainConfig,
  -- maxDiagnostics.
  settings = {},
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
  flags = {},
  -- Register with nvim-lspconfig when it is installed.
  lspconfig = true,
}

M.config = nil
local client_ids = {} -- root directory -> client id, where vim.lsp.start is missing (0.7)
local via_lspconfig = false

local function notify(msg, level)
  vim.notify("nginxls: " .. msg, level or vim.log.levels.INFO)
end

--- The server's settings: known keys with a value, as a JSON object even
--- when empty (an empty Lua table would be sent as an array).
function M.server_settings(s)
  local out = {}
  for _, k in ipairs({ "nginxVersion", "openssl", "platform", "profile" }) do
    local v = s and s[k]
    if type(v) == "string" and vim.trim(v) ~= "" then
      out[k] = vim.trim(v)
    end
  end
  if s and type(s.mainConfig) == "string" and vim.trim(s.mainConfig) ~= "" then
    -- The server reads a relative path from its own working directory.
    out.mainConfig = vim.fn.fnamemodify(vim.fn.expand(vim.trim(s.mainConfig)), ":p")
  end
  -- 0 is a value (no limit), not an empty one.
  local max = s and s.maxDiagnostics
  if type(max) == "number" and max >= 0 and max == math.floor(max) then
    out.maxDiagnostics = max
  end
  if s and type(s.rules) == "table" and not vim.tbl_islist(s.rules) then
    local rules = {}
    for id, sev in pairs(s.rules) do
      if type(sev) == "string" and sev ~= "" then
        rules[id] = sev:lower()
      end
    end
    if next(rules) then
      out.rules = rules
    end
  end
  if next(out) == nil then
    return vim.empty_dict()
  end
  return out
end

local function normalize(opts)
  local cfg = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  if type(cfg.cmd) == "string" then
    cfg.cmd = { cfg.cmd, "serve" }
  end
  -- Lists replace, they do not merge.
  if opts and opts.root_markers then
    cfg.root_markers = opts.root_markers
  end
  if opts and opts.filetypes then
    cfg.filetypes = opts.filetypes
  end
  return cfg
end

--- The effective configuration: setup's, or the defaults before setup.
function M.effective_config()
  return M.config or normalize(nil)
end

local uv = vim.loop

local function is_dir_entry(dir, name)
  return uv.fs_stat(dir .. "/" .. name) ~= nil
end

--- The root for a file: the nearest directory above it holding a marker.
function M.find_root(fname, markers)
  markers = markers or M.effective_config().root_markers
  if fname == nil or fname == "" then
    return vim.fn.getcwd()
  end
  local dir = vim.fn.fnamemodify(fname, ":p:h")
  local start = dir
  while dir and dir ~= "" do
    for _, m in ipairs(markers) do
      if is_dir_entry(dir, m) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return start
end

local function client_config(root)
  local c = M.config
  local settings = M.server_settings(c.settings)
  return {
    name = NAME,
    cmd = c.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = settings,
    settings = { [NAME] = settings },
    capabilities = c.capabilities,
    handlers = c.handlers,
    on_attach = c.on_attach,
    flags = c.flags,
  }
end

local function is_nginx(bufnr)
  return vim.tbl_contains(M.config.filetypes, vim.api.nvim_buf_get_option(bufnr, "filetype"))
end

--- Starts (or reuses) the server for a buffer and attaches it.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if vim.api.nvim_buf_get_option(bufnr, "buftype") ~= "" then
    return
  end
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))
  if vim.lsp.start then
    return vim.lsp.start(client_config(root), { bufnr = bufnr })
  end
  local id = client_ids[root]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(client_config(root))
    if not id then
      notify("could not start " .. tostring(M.config.cmd[1]), vim.log.levels.ERROR)
      return
    end
    client_ids[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- The running nginxls clients.
function M.clients()
  local out = {}
  for _, c in ipairs(vim.lsp.get_active_clients()) do
    if c.name == NAME then
      table.insert(out, c)
    end
  end
  return out
end

local function nginx_buffers()
  local out = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and is_nginx(b) then
      table.insert(out, b)
    end
  end
  return out
end

local function launch_all()
  for _, b in ipairs(nginx_buffers()) do
    if via_lspconfig then
      local lc = require("lspconfig")[NAME]
      -- Old lspconfig launches for the current buffer, newer for its argument.
      vim.api.nvim_buf_call(b, function()
        lc.launch(b)
      end)
    else
      M.attach(b)
    end
  end
end

--- Stops every nginxls client and starts them again for the open buffers.
function M.restart()
  local ids = {}
  for _, c in ipairs(M.clients()) do
    table.insert(ids, c.id)
  end
  for _, id in pairs(client_ids) do
    table.insert(ids, id)
  end
  vim.lsp.stop_client(ids)
  vim.wait(3000, function()
    for _, id in ipairs(ids) do
      if not vim.lsp.client_is_stopped(id) then
        return false
      end
    end
    return true
  end, 20)
  client_ids = {}
  launch_all()
end

--- Changes settings of the running servers, without a restart: they are
--- notified and pull the "nginxls" section again.
function M.set_settings(settings)
  M.config.settings = vim.tbl_deep_extend("force", M.config.settings or {}, settings or {})
  local s = M.server_settings(M.config.settings)
  for _, c in ipairs(M.clients()) do
    c.config.settings = { [NAME] = s }
    c.notify("workspace/didChangeConfiguration", { settings = { [NAME] = s } })
  end
end

local function register_lspconfig(cfg)
  local ok, configs = pcall(require, "lspconfig.configs")
  if not ok then
    return false
  end
  if not configs[NAME] then
    local settings = M.server_settings(cfg.settings)
    configs[NAME] = {
      default_config = {
        cmd = cfg.cmd,
        filetypes = cfg.filetypes,
        root_dir = function(fname)
          return M.find_root(fname, cfg.root_markers)
        end,
        init_options = settings,
        settings = { [NAME] = settings },
        single_file_support = true,
      },
      docs = {
        description = "nginxls: language server and TLS auditor for nginx configuration files.",
      },
    }
  end
  local settings = M.server_settings(cfg.settings)
  require("lspconfig")[NAME].setup({
    cmd = cfg.cmd,
    filetypes = cfg.filetypes,
    init_options = settings,
    settings = { [NAME] = settings },
    capabilities = cfg.capabilities,
    handlers = cfg.handlers,
    on_attach = cfg.on_attach,
    flags = cfg.flags,
  })
  return true
end

function M.setup(opts)
  M.config = normalize(opts)
  if vim.fn.executable(M.config.cmd[1]) ~= 1 then
    notify(M.config.cmd[1] .. " is not executable; set cmd in setup() (see :checkhealth nginxls)", vim.log.levels.WARN)
  end
  local group = vim.api.nvim_create_augroup(NAME, { clear = true })
  via_lspconfig = M.config.lspconfig and vim.lsp.config == nil and register_lspconfig(M.config)
  if not via_lspconfig then
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = M.config.filetypes,
      callback = function(args)
        M.attach(args.buf)
      end,
      desc = "nginxls: attach the language server",
    })
  end
  -- Files given on the command line are loaded before setup() runs.
  launch_all()

  vim.api.nvim_create_user_command("NginxlsRestart", function()
    M.restart()
  end, { desc = "nginxls: restart the language server" })
  vim.api.nvim_create_user_command("NginxlsCiphers", function()
    require("nginxls.ciphers").show()
  end, { desc = "nginxls: the suites the ssl_ciphers under the cursor enables" })
end

return M

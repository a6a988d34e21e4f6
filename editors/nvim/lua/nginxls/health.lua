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

--- Runs `cmd` as a server: initialize, shutdown, exit. Returns the server's
--- name and version, or nil and what went wrong.
function M.probe(cmd, timeout_ms)
  local stdout, stderr = {}, {}
  local ok_start, job = pcall(vim.fn.jobstart, cmd, {
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = function(_, data)
      stdout = data
    end,
    on_stderr = function(_, data)
      stderr = data
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
    }) .. frame({ jsonrpc = "2.0", id = 2, method = "shutdown" }) .. frame({ jsonrpc = "2.0", method = "exit" })
  )
  vim.fn.chanclose(job, "stdin")
  local code = vim.fn.jobwait({ job }, timeout_ms or 5000)[1]
  if code == -1 then
    vim.fn.jobstop(job)
    return nil, "no answer within " .. (timeout_ms or 5000) .. " ms"
  end
  local out = table.concat(stdout, "\n")
  local result
  for body in out:gmatch("\r\n\r\n(%b{})") do
    local decoded = vim.json.decode(body)
    if decoded.id == 1 and decoded.result then
      result = decoded.result
    end
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

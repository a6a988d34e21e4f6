-- Helpers shared by the headless Neovim tests: checks that print one line
-- each and a closing "N passed, M failed" line, waits, and the fixture.
local T = { passes = 0, failures = 0 }

function T.log(s)
  io.stdout:write(s .. "\n")
end

function T.check(ok, msg)
  if ok then
    T.passes = T.passes + 1
    T.log("ok   - " .. msg)
  else
    T.failures = T.failures + 1
    T.log("FAIL - " .. msg)
  end
  return ok
end

function T.wait(ms, pred)
  return vim.wait(ms, pred, 20)
end

function T.env(name)
  local v = os.getenv(name)
  if not v or v == "" then
    T.log("FAIL - environment variable " .. name .. " is not set")
    vim.cmd("cquit 1")
  end
  return v
end

--- Copies editors/testdata/weak.conf to dir/name and returns the path.
function T.fixture(testdata, dir, name)
  vim.fn.mkdir(dir, "p")
  local src = assert(io.open(testdata .. "/weak.conf", "rb"))
  local text = src:read("*a")
  src:close()
  local path = dir .. "/" .. name
  local dst = assert(io.open(path, "wb"))
  dst:write(text)
  dst:close()
  return path
end

function T.diag(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then
      return d
    end
  end
  return nil
end

--- The 0-based line holding needle.
function T.line_of(bufnr, needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l:find(needle, 1, true) then
      return i - 1, l
    end
  end
end

function T.finish()
  T.log(("%d passed, %d failed"):format(T.passes, T.failures))
  vim.cmd(T.failures > 0 and "cquit 1" or "qall!")
end

--- Runs fn, turning an error into a failure rather than a hang.
function T.run(fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    T.check(false, "error: " .. tostring(err))
  end
  T.finish()
end

return T

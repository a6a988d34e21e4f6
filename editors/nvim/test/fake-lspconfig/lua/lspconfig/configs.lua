-- A stand-in for nvim-lspconfig's configs module (which cannot be fetched
-- where these tests run), with the API the plugin relies on, as in
-- lspconfig's lua/lspconfig/configs.lua of the releases for Neovim 0.7-0.10:
-- assigning configs.NAME = { default_config = ... } defines NAME; its
-- setup(config) merges config over default_config and starts a client per
-- root on FileType; launch() attaches the current buffer.
local configs = {}

function configs.__newindex(t, name, def)
  vim.validate({
    name = { name, "s" },
    default_config = { def.default_config, "t" },
  })
  local M = { name = name, document_config = def, setup_calls = {} }

  function M.setup(config)
    vim.validate({
      cmd = { config.cmd, "t", true },
      root_dir = { config.root_dir, "f", true },
      on_attach = { config.on_attach, "f", true },
    })
    table.insert(M.setup_calls, config)
    config = vim.tbl_deep_extend("keep", config, def.default_config)
    local clients = {}
    local function try_add(bufnr)
      bufnr = bufnr or vim.api.nvim_get_current_buf()
      local fname = vim.api.nvim_buf_get_name(bufnr)
      local root = config.root_dir(fname, bufnr) or vim.fn.fnamemodify(fname, ":p:h")
      local id = clients[root]
      if not id or vim.lsp.client_is_stopped(id) then
        local c = vim.tbl_deep_extend("keep", { name = name, root_dir = root }, config)
        c.filetypes = nil
        id = vim.lsp.start_client(c)
        clients[root] = id
      end
      vim.lsp.buf_attach_client(bufnr, id)
    end
    M.manager = { try_add = try_add }
    function M.launch()
      try_add(vim.api.nvim_get_current_buf())
    end
    vim.api.nvim_create_autocmd("FileType", {
      pattern = config.filetypes,
      callback = function(args)
        try_add(args.buf)
      end,
    })
  end

  rawset(t, name, M)
  return M
end

return setmetatable({}, configs)

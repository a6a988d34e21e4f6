-- Neovim 0.11+: `vim.lsp.enable("nginxls")` reads this file, without setup().
-- Settings go under settings.nginxls (and init_options), e.g.
--   vim.lsp.config("nginxls", { settings = { nginxls = { openssl = "1.1.1" } } })
return {
  cmd = { "nginxls", "serve" },
  filetypes = { "nginx" },
  root_markers = { "nginx.conf", ".git" },
  settings = { nginxls = vim.empty_dict() },
}

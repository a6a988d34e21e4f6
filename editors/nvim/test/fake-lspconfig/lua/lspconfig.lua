-- require("lspconfig").NAME is the configuration defined in lspconfig.configs.
return setmetatable({}, {
  __index = function(_, k)
    return require("lspconfig.configs")[k]
  end,
})

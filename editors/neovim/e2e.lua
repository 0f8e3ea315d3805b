-- Headless end-to-end test of lifecycle-lsp with Neovim's built-in client
-- (works on 0.7 and later). Run by e2e.sh:
--   LSP_CMD=<server> OUT=<prefix> CHECK=leak LINE=<n> \
--     nvim --headless -n -i NONE -u e2e.lua -c 'lua E2E()' file.go
-- Writes <prefix>.log ("OK" or "FAIL: ...") and <prefix>.diagnostics,
-- applies the quick fix of the CHECK diagnostic on LINE, saves the buffer
-- and exits non-zero on failure.
local out = os.getenv('OUT') or 'e2e-out'
local check = os.getenv('CHECK') or 'leak'
local want_line = tonumber(os.getenv('LINE') or '0')

local function log(msg) vim.fn.writefile({ msg }, out .. '.log', 'a') end
local function fail(msg)
  log('FAIL: ' .. msg)
  vim.cmd('cquit! 1')
end

function E2E()
  local ok, err = pcall(function()
    local bufnr = vim.api.nvim_get_current_buf()
    local fname = vim.api.nvim_buf_get_name(bufnr)
    -- Neovim 0.7 keeps no range in its stored diagnostics: keep the raw ones.
    local raw = {}
    local root = vim.fn.fnamemodify(fname, ':p:h')
    local markers = vim.fn.findfile('go.mod', root .. ';')
    if markers ~= '' then root = vim.fn.fnamemodify(markers, ':p:h') end
    local id = vim.lsp.start_client({
      name = 'lifecycle-lsp',
      cmd = { os.getenv('LSP_CMD') or 'lifecycle-lsp' },
      root_dir = root,
      handlers = {
        ['textDocument/publishDiagnostics'] = function(e, res, ctx, cfg)
          raw[res.uri] = res.diagnostics
          return vim.lsp.diagnostic.on_publish_diagnostics(e, res, ctx, cfg)
        end,
      },
    })
    if not id then return fail('start_client failed') end
    vim.lsp.buf_attach_client(bufnr, id)
    local uri = vim.uri_from_bufnr(bufnr)
    local target
    local found = vim.wait(60000, function()
      for _, d in ipairs(raw[uri] or {}) do
        if d.code == check and (want_line == 0 or d.range.start.line + 1 == want_line) then
          target = d
          return true
        end
      end
      return false
    end, 50)
    if not found then return fail('no ' .. check .. ' diagnostic at line ' .. want_line) end
    local lines = {}
    for _, d in ipairs(raw[uri]) do
      table.insert(lines, string.format('%d:%d %s %s %s', d.range.start.line + 1, d.range.start.character + 1,
        d.source or '', d.code or '', d.message))
    end
    vim.fn.writefile(lines, out .. '.diagnostics')
    local client = vim.lsp.get_client_by_id(id)
    local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
      textDocument = vim.lsp.util.make_text_document_params(bufnr),
      range = target.range,
      context = { diagnostics = { target }, only = { 'quickfix' } },
    }, 10000)
    local actions = res and res[id] and res[id].result or {}
    if #actions == 0 then return fail('no code actions') end
    vim.fn.writefile({ vim.fn.json_encode(actions) }, out .. '.actions.json')
    if not actions[1].edit then return fail('the quick fix has no edit') end
    vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding or 'utf-16')
    vim.cmd('silent write')
    -- The diagnostic must go away once the server sees the fixed text.
    local cleared = vim.wait(60000, function()
      for _, d in ipairs(raw[uri] or {}) do
        if d.code == check and d.message == target.message and d.range.start.line == target.range.start.line then
          return false
        end
      end
      return true
    end, 50)
    if not cleared then return fail('the diagnostic did not clear after the fix') end
    vim.lsp.stop_client(id)
    vim.wait(10000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)
    log('OK')
    vim.cmd('qall!')
  end)
  if not ok then fail('error: ' .. tostring(err)) end
end

-- nvim.lua - Neovim's own LSP client against `distill lsp` (the integration test, tests/suites/lsp-neovim.sh).
--
-- Run as: DS_BIN=distill DS_FILE=Dockerfile DS_LOG=log nvim --headless -n -i NONE --noplugin -u nvim.lua
-- Opens DS_FILE, waits for the diagnostics, asks for code actions on the
-- final stage's FROM line and picks "Convert final stage to distroless" the
-- way a user picks from the menu (vim.ui.select), lets Neovim apply the
-- edit and run its command, waits for the diagnostics of the new text,
-- saves and quits. What happened goes to DS_LOG; the exit status is 0 only
-- when every step worked (the shell script compares the saved file).
-- Works with Neovim 0.7 (Debian 12) and later.

local bin, file, logfile = os.getenv('DS_BIN'), os.getenv('DS_FILE'), os.getenv('DS_LOG')
local lines = {}
local function log(fmt, ...)
  table.insert(lines, string.format(fmt, ...))
end
local function finish(ok)
  local f = io.open(logfile, 'w')
  f:write(table.concat(lines, '\n'), '\n')
  f:close()
  if ok then
    vim.cmd('qall!')
  else
    vim.cmd('cquit 1')
  end
end
local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, tostring(d.code))
  end
  table.sort(out)
  return table.concat(out, ' ')
end

-- window/showMessage: where convert's explanation arrives
local shown = {}
vim.lsp.handlers['window/showMessage'] = function(_, result)
  table.insert(shown, result.message)
end

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'distill',
    cmd = { bin, 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  if not client_id then
    log('the client did not start')
    return finish(false)
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
    log('no diagnostics arrived')
    return finish(false)
  end
  log('diagnostics: %s', codes(bufnr))
  if not codes(bufnr):find('DST201', 1, true) then
    log('no DST201 (final stage has a shell) among them')
    return finish(false)
  end

  -- the cursor on the last FROM line, then the code action menu
  local from_line
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l:match('^FROM') then from_line = i end
  end
  vim.api.nvim_win_set_cursor(0, { from_line, 0 })
  local offered, picked = {}, nil
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or item[2].title
      table.insert(offered, title)
      if not picked and title:find('^Convert final stage to distroless') then
        picked = item
      end
    end
    on_choice(picked)
  end
  local version = vim.lsp.util.buf_versions[bufnr]
  vim.lsp.buf.code_action()
  if not vim.wait(30000, function() return #offered > 0 end, 20) then
    log('no code actions arrived')
    return finish(false)
  end
  log('offered: %s', table.concat(offered, ' | '))
  if not picked then
    log('no "Convert final stage to distroless" action')
    return finish(false)
  end
  log('applied: %s', picked[2].title)

  -- the explanation comes back through the command Neovim ran
  if not vim.wait(30000, function() return #shown > 0 end, 20) then
    log('no explanation shown')
    return finish(false)
  end
  log('explanation: %s', shown[1]:gsub('\n', ' / '))

  -- the server sees the edit and answers with the diagnostics of the new text
  if vim.lsp.util.buf_versions[bufnr] == version then
    log('the edit did not change the buffer')
    return finish(false)
  end
  if not vim.wait(30000, function() return not codes(bufnr):find('DST201', 1, true) end, 20) then
    log('DST201 is still reported after the conversion: %s', codes(bufnr))
    return finish(false)
  end
  log('diagnostics after: %s', codes(bufnr))

  vim.cmd('write')
  vim.lsp.stop_client(client_id)
  vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  finish(true)
end

vim.api.nvim_create_autocmd('VimEnter', { once = true, callback = function()
  local ok, err = pcall(main)
  if not ok then
    log('error: %s', err)
    finish(false)
  end
end })

" Tack for Vim/Neovim: completion of +ticket links and #tags, opening the ticket under
" the cursor. Everything is asked of the `tack` command (g:tack_cmd), so the answers are
" what every other surface sees, uncommitted edits in the mount included.

function! s:cmd() abort
  return get(g:, 'tack_cmd', 'tack')
endfunction

" Run `tack ARGS --json` and decode the answer; [] (with a message) when it fails.
function! tack#json(args) abort
  let l:out = system(s:cmd() . ' ' . a:args . ' --json')
  if v:shell_error
    echohl ErrorMsg | echomsg 'tack: ' . substitute(l:out, '\n\+$', '', '') | echohl None
    return []
  endif
  try
    return json_decode(l:out)
  catch
    return []
  endtry
endfunction

function! tack#tickets() abort
  return tack#json('list --all')
endfunction

function! tack#tags() abort
  return map(tack#json('sql "select distinct tag from tags order by tag"'), 'v:val.tag')
endfunction

" The link or tag being typed before the cursor: [start column (0-based), sigil] or [-1, ''].
function! s:token_start(line, col) abort
  let l:before = strpart(a:line, 0, a:col)
  let l:m = matchstrpos(l:before, '\v(\[\[|[+#])[[:alnum:]_/.-]*$')
  if l:m[1] < 0
    return [-1, '']
  endif
  return [l:m[1], l:before[l:m[1]] ==# '[' ? '[[' : l:before[l:m[1]]]
endfunction

" completefunc/omnifunc: `+tk-` and `[[tk-` complete tickets (id, with the title as the
" menu text; the typed text matches the id or the title), `#` completes tags.
function! tack#complete(findstart, base) abort
  if a:findstart
    let l:s = s:token_start(getline('.'), col('.') - 1)
    return l:s[0] < 0 ? -3 : l:s[0]
  endif
  let l:sigil = a:base =~# '^\[\[' ? '[[' : a:base[0]
  let l:typed = tolower(strpart(a:base, len(l:sigil)))
  let l:items = []
  if l:sigil ==# '#'
    for l:tag in tack#tags()
      if stridx(tolower(l:tag), l:typed) == 0
        call add(l:items, {'word': '#' . l:tag})
      endif
    endfor
    return l:items
  endif
  let l:close = l:sigil ==# '[[' ? ']]' : ''
  for l:t in tack#tickets()
    if stridx(l:t.short_id, l:typed) == 0 || stridx(l:t.id, l:typed) == 0 || stridx(tolower(l:t.title), l:typed) >= 0
      call add(l:items, {'word': l:sigil . l:t.short_id . l:close, 'menu': l:t.title, 'info': l:t.status})
    endif
  endfor
  return l:items
endfunction

" The folder holding schema.yaml, tickets/ and docs/: the one around the current file,
" else g:tack_dir, else the default mount (<git common dir>/tack/mount).
function! tack#root() abort
  let l:schema = findfile('schema.yaml', expand('%:p:h') . ';')
  if !empty(l:schema)
    return fnamemodify(l:schema, ':p:h')
  endif
  if exists('g:tack_dir')
    return fnamemodify(g:tack_dir, ':p')
  endif
  let l:common = substitute(system('git rev-parse --path-format=absolute --git-common-dir'), '\n\+$', '', '')
  return v:shell_error ? getcwd() : l:common . '/tack/mount'
endfunction

" `+tk-3fa9`, `[[tk-3fa9]]` or `[[docs/x.md]]` under the cursor, or ''.
function! tack#link_under_cursor() abort
  let l:line = getline('.')
  let l:col = col('.') - 1
  for l:pat in ['\v\[\[[^]]+\]\]', '\v\+[[:alnum:]]+-[[:alnum:]]+']
    let l:start = 0
    while 1
      let l:m = matchstrpos(l:line, l:pat, l:start)
      if l:m[1] < 0
        break
      endif
      if l:m[1] <= l:col && l:col < l:m[2]
        return l:m[0]
      endif
      let l:start = l:m[2]
    endwhile
  endfor
  return ''
endfunction

" The file a link points to: a doc path as it is, a ticket id (any unique prefix) through
" `tack show`, which names the full id.
function! tack#path_of(link) abort
  let l:target = substitute(a:link, '\v^(\+|\[\[)|\]\]$', '', 'g')
  if l:target =~# '/' || l:target =~# '\.md$'
    return tack#root() . '/' . l:target
  endif
  let l:t = tack#json('show ' . shellescape(l:target))
  return type(l:t) == v:t_dict && has_key(l:t, 'id') ? tack#root() . '/tickets/' . l:t.id . '.md' : ''
endfunction

function! tack#open(link) abort
  let l:path = tack#path_of(a:link)
  if empty(l:path)
    return
  endif
  if !filereadable(l:path)
    echohl ErrorMsg | echomsg 'tack: ' . l:path . ' is not checked out (run `tack mount`)' | echohl None
    return
  endif
  execute 'edit ' . fnameescape(l:path)
endfunction

" gf on a Tack link opens the ticket or doc; anywhere else it is Vim's own gf.
function! tack#gf() abort
  let l:link = tack#link_under_cursor()
  if empty(l:link)
    normal! gf
  else
    call tack#open(l:link)
  endif
endfunction

" Tack: edit tickets and docs checked out by `tack mount`. See editors/vim/README.md.
if exists('g:loaded_tack')
  finish
endif
let g:loaded_tack = 1

command! -nargs=1 TackOpen call tack#open(<q-args>)

" Files Tack writes (a CLI update, a sync, `tack watch` committing) change under the
" editor: reload them when Vim regains focus, idles, or on a timer.
set autoread
augroup tack
  autocmd!
  autocmd FocusGained,BufEnter,CursorHold,CursorHoldI * if getcmdwintype() ==# '' | silent! checktime | endif
  autocmd BufRead,BufNewFile */tickets/*.md,*/docs/*.md call s:setup_buffer()
augroup END

function! s:setup_buffer() abort
  if empty(findfile('schema.yaml', expand('%:p:h') . ';'))
    return
  endif
  setlocal completefunc=tack#complete omnifunc=tack#complete
  nnoremap <buffer> <silent> gf :call tack#gf()<CR>
endfunction

let s:reload_ms = get(g:, 'tack_reload_ms', 2000)
if has('timers') && s:reload_ms > 0
  call timer_start(s:reload_ms, {-> execute('silent! checktime')}, {'repeat': -1})
endif

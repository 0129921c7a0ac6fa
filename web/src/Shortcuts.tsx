import { Dialog } from './Dialog';

export const SHORTCUTS: Array<[string, string]> = [
  ['⌘K / Ctrl+K', 'command palette'],
  ['c', 'create a ticket'],
  ['?', 'this help'],
  ['j / ↓, k / ↑', 'move in the list'],
  ['enter', 'open the selected ticket'],
  ['x / shift-click', 'pick rows for a bulk edit'],
  ['esc', 'close / back to the list'],
  ['/', 'filter the list'],
  ['t', 'edit the title (ticket page)'],
  ['e', 'edit the description'],
  ['s', 'status'],
  ['a', 'assignee'],
  ['l', 'labels'],
  ['p', 'priority'],
  ['⌘M / Ctrl+M', 'new capture entry (capture page)'],
  ['#tag', 'tag a capture entry'],
  ['+', 'link a ticket or doc in a capture entry'],
];

export function Shortcuts({ close }: { close: () => void }) {
  return (
    <Dialog label="shortcuts" close={close}>
      <h2>Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, v]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="buttons">
        <button type="button" className="ghost" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

export const SHORTCUTS: Array<[string, string]> = [
  ['⌘K / Ctrl+K', 'command palette'],
  ['c', 'create a ticket'],
  ['?', 'this help'],
  ['j / ↓, k / ↑', 'move in the list'],
  ['enter', 'open the selected ticket'],
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
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog" role="dialog" aria-label="shortcuts">
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
      </div>
    </div>
  );
}

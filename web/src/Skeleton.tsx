/** Grey bars in the shape of what is coming, while a page's data or code loads. */
export function Skeleton({ lines = 6 }: { lines?: number }) {
  return (
    <div className="skeleton pad" role="status" aria-busy="true" aria-label="Loading">
      <div className="bar title" />
      {Array.from({ length: lines }, (_, i) => (
        // Varied widths read as text rather than as a table.
        <div key={i} className="bar" style={{ width: `${60 + ((i * 37) % 35)}%` }} />
      ))}
    </div>
  );
}

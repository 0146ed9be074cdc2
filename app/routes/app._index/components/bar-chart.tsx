// A small accessible SVG bar chart (no chart library): a <figure> with a title, one <rect> per
// value with its own <title>, and a visually hidden table carrying the same numbers for screen
// readers.

export interface Bar {
  label: string;
  value: number;
  /** Where a click on the bar goes (e.g. the filtered list). */
  href?: string;
}

const HIDDEN: React.CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
};

export function BarChart({
  title,
  bars,
  height = 160,
  color = "var(--p-color-bg-fill-info)",
  showLabels = true,
}: {
  title: string;
  bars: Bar[];
  height?: number;
  color?: string;
  showLabels?: boolean;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = Math.max(bars.length * 24, 240);
  const slot = width / Math.max(1, bars.length);
  const labelSpace = showLabels ? 36 : 4;
  const plot = height - labelSpace - 14;
  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-label={title}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        height={height}
        preserveAspectRatio="none"
      >
        {bars.map((bar, i) => {
          const h = Math.round((bar.value / max) * plot);
          const x = i * slot + slot * 0.15;
          const rect = (
            <rect
              x={x}
              y={14 + plot - h}
              width={slot * 0.7}
              height={Math.max(h, bar.value > 0 ? 2 : 0)}
              rx={2}
              fill={color}
            >
              <title>{`${bar.label}: ${bar.value}`}</title>
            </rect>
          );
          return (
            <g key={bar.label}>
              {bar.href ? <a href={bar.href}>{rect}</a> : rect}
              {bar.value > 0 && (
                <text
                  x={x + slot * 0.35}
                  y={12 + plot - h}
                  textAnchor="middle"
                  fontSize="10"
                  fill="var(--p-color-text-secondary)"
                >
                  {bar.value}
                </text>
              )}
              {showLabels && (
                <text
                  x={x + slot * 0.35}
                  y={height - labelSpace + 14}
                  textAnchor="middle"
                  fontSize="10"
                  fill="var(--p-color-text-secondary)"
                >
                  {bar.label.length > 10 ? `${bar.label.slice(0, 9)}…` : bar.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <table style={HIDDEN}>
        <caption>{title}</caption>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.label}>
              <th scope="row">{bar.label}</th>
              <td>{bar.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

import { Link } from "@remix-run/react";

// Small accessible bar charts (no chart library). BarChart: an SVG series (one <rect> per value
// with its own <title>) plus a visually hidden table with the same numbers for screen readers.
// CategoryBars: labelled horizontal bars in HTML, one row per category, each a link.

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
}: {
  title: string;
  bars: Bar[];
  height?: number;
  color?: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = Math.max(bars.length * 24, 240);
  const slot = width / Math.max(1, bars.length);
  // The SVG stretches to its card (preserveAspectRatio none), so it carries no text: values are
  // in each bar's <title>, and labelled categories use CategoryBars instead.
  const plot = height - 4;
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
              y={plot - h}
              width={slot * 0.7}
              height={Math.max(h, bar.value > 0 ? 2 : 0)}
              rx={2}
              fill={color}
            >
              <title>{`${bar.label}: ${bar.value}`}</title>
            </rect>
          );
          return <g key={bar.label}>{bar.href ? <a href={bar.href}>{rect}</a> : rect}</g>;
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

/** Labelled categories as horizontal bars: the label, the bar, the count; a row links to `href`. */
export function CategoryBars({
  title,
  bars,
  color = "var(--p-color-bg-fill-info)",
}: {
  title: string;
  bars: Bar[];
  color?: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <ul aria-label={title} style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 6 }}>
      {bars.map((bar) => {
        const row = (
          <span
            style={{ display: "grid", gridTemplateColumns: "9rem 1fr 3rem", alignItems: "center", gap: 8 }}
          >
            <span style={{ color: "var(--p-color-text)" }}>{bar.label}</span>
            <span style={{ background: "var(--p-color-bg-surface-secondary)", borderRadius: 4, height: 12 }}>
              <span
                style={{
                  display: "block",
                  width: `${(bar.value / max) * 100}%`,
                  minWidth: bar.value > 0 ? 3 : 0,
                  height: "100%",
                  borderRadius: 4,
                  background: color,
                }}
              />
            </span>
            <span style={{ textAlign: "right", fontVariantNumeric: "tabular-nums" }}>{bar.value}</span>
          </span>
        );
        return (
          <li key={bar.label}>
            {bar.href ? (
              <Link to={bar.href} style={{ textDecoration: "none", color: "inherit" }}>
                {row}
              </Link>
            ) : (
              row
            )}
          </li>
        );
      })}
    </ul>
  );
}

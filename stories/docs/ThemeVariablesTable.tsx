import { parseThemeVariables } from "./theme-variables.js";

/** A colour swatch next to a value, when the value is a colour. */
function Value({ value }: { value: string | undefined }) {
  if (value === undefined) return <span>same as light</span>;
  const colour = /^#[0-9a-f]{3,8}$/i.test(value);
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: "0.4rem" }}>
      {colour && (
        <span
          aria-hidden="true"
          style={{ width: "1rem", height: "1rem", borderRadius: "4px", background: value, border: "1px solid #747b8a" }}
        />
      )}
      <code>{value}</code>
    </span>
  );
}

/** Every custom property of `lesson-video-kit/styles.css`, read from the stylesheet, with both themes' values. */
export function ThemeVariablesTable() {
  const variables = parseThemeVariables();
  return (
    <table>
      <caption style={{ textAlign: "start" }}>CSS custom properties of lesson-video-kit/styles.css</caption>
      <thead>
        <tr>
          <th scope="col">Variable</th>
          <th scope="col">Light</th>
          <th scope="col">Dark</th>
        </tr>
      </thead>
      <tbody>
        {variables.map((variable) => (
          <tr key={variable.name}>
            <th scope="row">
              <code>{variable.name}</code>
            </th>
            <td>
              <Value value={variable.light} />
            </td>
            <td>
              <Value value={variable.dark} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

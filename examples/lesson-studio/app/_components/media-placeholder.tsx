import { FilmIcon } from "./icons";

export function MediaPlaceholder({ label }: { label: string }) {
  return (
    <div className="media-placeholder">
      <span className="media-placeholder__glyph">
        <FilmIcon size={20} />
      </span>
      <span>{label}</span>
    </div>
  );
}

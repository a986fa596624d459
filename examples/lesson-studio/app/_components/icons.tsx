/** The few glyphs the studio draws; inline SVG so nothing loads from elsewhere. */
import type { SVGProps } from "react";

function Icon({ children, size = 18, ...props }: SVGProps<SVGSVGElement> & { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const PlayIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <path d="M8 5.5v13l10.5-6.5z" fill="currentColor" stroke="none" />
  </Icon>
);

export const PlusIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);

export const UploadIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <path d="M12 15V4M7 9l5-5 5 5M5 15v4h14v-4" />
  </Icon>
);

export const ArrowLeftIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <path d="M19 12H5M11 18l-6-6 6-6" />
  </Icon>
);

export const ArrowRightIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <path d="M5 12h14M13 6l6 6-6 6" />
  </Icon>
);

export const LockIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <rect x="4" y="11" width="16" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </Icon>
);

export const PencilIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <path d="M4 20h4L19 9l-4-4L4 16z" />
    <path d="M14 6l4 4" />
  </Icon>
);

export const FilmIcon = (props: SVGProps<SVGSVGElement> & { size?: number }) => (
  <Icon {...props}>
    <rect x="3" y="4" width="18" height="16" rx="2" />
    <path d="M7 4v16M17 4v16M3 9h4M3 15h4M17 9h4M17 15h4" />
  </Icon>
);

/** Small line icons drawn in currentColor. Always decorative: the control carries the label. */
const PATHS = {
  undo: 'M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  redo: 'm15 14 5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
  link: 'M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1',
  bulletList: 'M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01',
  orderedList: 'M10 6h10M10 12h10M10 18h10M4 4.5l1.5-.5v4M3.6 11.2a1.2 1.2 0 0 1 2.2.7c0 .8-2.2 2.1-2.2 2.1h2.3M3.6 16.5h2.2l-1.2 1.4a1.2 1.2 0 1 1-1 2',
  quote: 'M10 7H6v5h4v-1M10 12c0 3-1.5 4.5-4 5M19 7h-4v5h4v-1M19 12c0 3-1.5 4.5-4 5',
  horizontalRule: 'M3 12h18M7 7h10M7 17h10',
  table: 'M4 5h16v14H4zM4 10h16M4 15h16M10 5v14M15 5v14',
  plus: 'M12 5v14M5 12h14',
  pencil: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  archive: 'M4 5h16v4H4zM5 9v10h14V9M10 13h4',
  restore: 'M4 5h16v4H4zM5 9v10h14V9M12 17v-5M9.5 14.5 12 12l2.5 2.5',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  check: 'm5 12 5 5 9-10',
  close: 'M6 6l12 12M18 6 6 18',
  person: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  arrowLeft: 'M19 12H5M11 6l-6 6 6 6',
  document: 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6',
  rowAbove: 'M4 11h16v9H4zM12 3v6M9 6h6',
  rowBelow: 'M4 4h16v9H4zM12 15v6M9 18h6',
  columnLeft: 'M11 4h9v16h-9zM3 12h6M6 9v6',
  columnRight: 'M4 4h9v16H4zM15 12h6M18 9v6',
  people: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.3a3.5 3.5 0 0 1 0 6.4M18 14.2a6.5 6.5 0 0 1 3.5 5.8',
  key: 'M14.5 9.5a4.5 4.5 0 1 0-3.9 4.46L9 15.5V18H6.5v2.5H3.5V18l6.04-6.04M15.5 7.5h.01',
  shield: 'M12 3 5 6v5c0 4.5 3 8.2 7 10 4-1.8 7-5.5 7-10V6z',
  signOut: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  settings: 'M4 7h10M18 7h2M4 17h2M10 17h10M14 5v4M6 15v4',
  eye: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
  lock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 0 1 7 0V11',
  chevronDown: 'm6 9 6 6 6-6',
  mail: 'M3 6h18v12H3zM3 7l9 6 9-6',
  comment: 'M4 5h16v11h-9l-5 4v-4H4zM8 9h8M8 12h5',
  commentAdd: 'M4 5h16v11h-9l-5 4v-4H4zM12 8v5M9.5 10.5h5',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  upload: 'M12 15V4M7 9l5-5 5 5M5 20h14',
  printer: 'M7 9V4h10v5M7 17H4v-8h16v8h-3M7 14h10v6H7z',
  history: 'M3.5 12a8.5 8.5 0 1 0 2.5-6l-2.5 2.5M3.5 4v4.5H8M12 7.5V12l3 2',
  bookmark: 'M7 4h10v16l-5-4-5 4z',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5',
  compare: 'M8 4 4 8l4 4M4 8h12M16 12l4 4-4 4M20 16H8',
  chevronUp: 'm6 15 6-6 6 6',
  bell: 'M6 17v-6a6 6 0 0 1 12 0v6l1.5 2h-15zM10 21h4',
  checklist: 'M11 6h9M11 12h9M11 18h9M3.5 6l1.5 1.5L8 4.5M3.5 12l1.5 1.5L8 10.5M3.5 18l1.5 1.5L8 16.5',
  replace: 'M4 7h11l-3-3M20 17H9l3 3M15 7l-3 3M9 17l3-3',
  outline: 'M4 6h16M8 12h12M12 18h8M4 12h.01M8 18h.01',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

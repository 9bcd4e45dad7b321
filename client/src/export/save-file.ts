/** Hands a file made in the page to the browser as a download, under `filename`. */
export function saveFile(file: Blob, filename: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; give it a moment before letting go.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

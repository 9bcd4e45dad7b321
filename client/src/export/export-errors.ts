/** What went wrong with an export, in sentences people understand (the server's codes are for machines). */
import { ApiError } from '../api/http';

export function exportErrorMessage(error: unknown, { version, noun = 'PDF' }: { version: boolean; noun?: string }): string {
  if (noun !== 'PDF') return textExportErrorMessage(error, noun);
  if (!(error instanceof ApiError)) return 'The PDF couldn’t be made. Please try again.';
  if (error.isNetworkError) {
    return navigator.onLine
      ? 'The server can’t be reached right now, so no PDF was made. Check your connection and try again.'
      : 'You are offline. Connect to the internet and try again: PDFs are made on the server.';
  }
  switch (error.code) {
    case 'too_large':
      return 'This document is too long to be made into a PDF. Exporting a shorter version of it may work.';
    case 'export_busy':
      return 'The server is busy making other PDFs. Please try again in a minute.';
    case 'export_timeout':
      return 'Making the PDF took too long and was stopped. Please try again in a few minutes.';
    case 'export_failed':
      return 'Something in this document couldn’t be typeset, so no PDF was made. Please try again; if it keeps failing, tell your administrator.';
    case 'no_access':
    case 'forbidden':
      return 'You no longer have access to this document, so it can’t be exported.';
    case 'unauthenticated':
      return 'Your sign-in has ended. Sign in again, then export.';
    case 'not_found':
      return version
        ? 'That version no longer exists. Choose another one, or export the current text.'
        : 'This document no longer exists, so it can’t be exported.';
  }
  if (error.status === 400) return 'The server didn’t accept these export settings. Reload the page and try again.';
  if (error.status === 401) return 'Your sign-in has ended. Sign in again, then export.';
  if (error.status === 403) return 'You no longer have access to this document, so it can’t be exported.';
  if (error.status === 404) return version ? 'That version no longer exists. Choose another one.' : 'This document no longer exists.';
  if (error.status === 413) return 'This document is too long to be made into a PDF.';
  if (error.status === 429 || error.status === 503) return 'The server is busy right now. Please try again in a minute.';
  return 'The PDF couldn’t be made because of a problem on the server. Please try again in a moment.';
}

/** The same for a Word or Markdown export (`noun`: "Word file", "Markdown file"). */
function textExportErrorMessage(error: unknown, noun: string): string {
  if (!(error instanceof ApiError)) return `The ${noun} couldn’t be made. Please try again.`;
  if (error.isNetworkError) {
    return navigator.onLine
      ? `The server can’t be reached right now, so no ${noun} was made. Check your connection and try again.`
      : `You are offline. Connect to the internet and try again: exports are made on the server.`;
  }
  if (error.code === 'unauthenticated' || error.status === 401) return 'Your sign-in has ended. Sign in again, then export.';
  if (error.code === 'no_access' || error.code === 'forbidden' || error.status === 403) return 'You no longer have access to this document, so it can’t be exported.';
  if (error.code === 'not_found' || error.status === 404) return 'This document no longer exists, so it can’t be exported.';
  if (error.code === 'too_large' || error.status === 413) return `This document is too long to be made into a ${noun}.`;
  if (error.status === 429 || error.status === 503) return 'The server is busy right now. Please try again in a minute.';
  return `The ${noun} couldn’t be made because of a problem on the server. Please try again in a moment.`;
}

import { Suspense, type ReactNode } from 'react';
import { LoadingPage } from '../ui/NotFoundPage';

/** Shows the loading page while a page's code arrives. */
export function PageBoundary({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingPage />}>{children}</Suspense>;
}

/** App shell: global styles, the routes, and offline support. */
import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { EditorPage } from './editor/EditorPage';
import { HomePage } from './home/HomePage';
import { registerServiceWorker } from './offline/register-service-worker';
import { usePath } from './router';
import { NotFoundPage } from './ui/NotFoundPage';
import './styles/base.css';
import './styles/home.css';
import './styles/editor.css';

function App() {
  const path = usePath();
  // Keyed, so switching views starts from an empty list instead of showing the other view's.
  if (path === '/') return <HomePage key="active" archived={false} />;
  if (path === '/archived') return <HomePage key="archived" archived />;
  const match = /^\/d\/([^/]+)\/?$/.exec(path);
  if (match) return <EditorPage documentId={decodeURIComponent(match[1])} />;
  return <NotFoundPage title="Page not found" message="There is nothing at this address." />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

registerServiceWorker();

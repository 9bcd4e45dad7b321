export { requireDocumentRole, requireGroupRole } from './access';
export { inviteRoutes } from './invite-routes';
export { groupRoutes } from './routes';

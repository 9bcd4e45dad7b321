export { AdminUser, CreatedPasswordReset, ListUsersResponse, UpdateUserRequest } from './admin';
export {
  ChangePasswordRequest,
  CompletePasswordResetRequest,
  CurrentUser,
  DisplayName,
  Email,
  NAME_MAX_LENGTH,
  Password,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PasswordResetPreview,
  SessionResponse,
  SignInRequest,
  SignUpRequest,
  UpdateProfileRequest,
  UserId,
  UserResponse,
} from './auth';
export { ApiErrorBody } from './errors';
export {
  ActiveEditor,
  CreateDocumentRequest,
  DocumentId,
  DocumentSummary,
  DocumentTitle,
  ListDocumentsQuery,
  ListDocumentsResponse,
  TITLE_MAX_LENGTH,
  UNTITLED,
  UpdateDocumentRequest,
} from './documents';
export {
  AcceptInviteResponse,
  CreatedInvite,
  CreateGroupRequest,
  CreateInviteRequest,
  GroupDescription,
  GroupDetail,
  GroupId,
  GroupName,
  GroupSummary,
  INVITE_DEFAULT_DAYS,
  INVITE_MAX_DAYS,
  InvitePreview,
  InviteSummary,
  ListGroupsResponse,
  ListInvitesResponse,
  Member,
  UpdateGroupRequest,
  UpdateMemberRequest,
} from './groups';
export { can, canAssignRole, Role, ROLE_LABELS, ROLES } from './roles';
export type { Permission } from './roles';
export {
  AccessTokenSummary,
  CreateAccessTokenRequest,
  CreatedAccessToken,
  ListAccessTokensResponse,
  TOKEN_EXPIRY_DAYS,
} from './tokens';

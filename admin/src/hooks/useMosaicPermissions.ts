/** What the signed-in admin may do in Mosaic, from the plugin's RBAC actions. */
import { useRBAC } from '@strapi/strapi/admin';

import { ADMIN_ACTIONS } from '../../../contracts/admin';

/** Module-level so useRBAC sees the same array on every render. */
const ALL = Object.values(ADMIN_ACTIONS).map((action) => ({ action, subject: null }));

/** For menu and settings links: who may open a page at all. */
export const LINK_PERMISSIONS = {
  read: [{ action: ADMIN_ACTIONS.read, subject: null }],
  settings: [{ action: ADMIN_ACTIONS.settings, subject: null }],
};

export interface MosaicPermissions {
  loading: boolean;
  canRead: boolean;
  canEdit: boolean;
  canPreview: boolean;
  canSettings: boolean;
}

export function useMosaicPermissions(): MosaicPermissions {
  // useRBAC names each allowed action after its last part: plugin::mosaic.read → canRead.
  const { allowedActions, isLoading } = useRBAC(ALL);
  return {
    loading: isLoading,
    canRead: Boolean(allowedActions.canRead),
    canEdit: Boolean(allowedActions.canEdit),
    canPreview: Boolean(allowedActions.canPreview),
    canSettings: Boolean(allowedActions.canSettings),
  };
}

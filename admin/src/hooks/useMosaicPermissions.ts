/**
 * What the signed-in admin may do in Mosaic, from the plugin's RBAC actions (contracts/admin.ts).
 *
 * Read from the admin's own permission list, as Strapi's `Page.Protect` does: `useRBAC` checks once
 * per list of actions, so a page opened by URL before the permissions arrived stayed refused.
 * Mosaic's actions carry no conditions, so holding the action is the whole check.
 */
import { useAuth } from '@strapi/strapi/admin';

import { ADMIN_ACTIONS } from '../../../contracts/wire';

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
  const permissions = useAuth('Mosaic', (state) => state.permissions);
  const loading = useAuth('Mosaic', (state) => state.isLoading);
  const holds = (action: string) => (permissions ?? []).some((p) => p.action === action);
  return {
    loading,
    canRead: holds(ADMIN_ACTIONS.read),
    canEdit: holds(ADMIN_ACTIONS.edit),
    canPreview: holds(ADMIN_ACTIONS.preview),
    canSettings: holds(ADMIN_ACTIONS.settings),
  };
}

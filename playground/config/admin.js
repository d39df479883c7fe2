module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'mosaic-playground-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'mosaic-playground-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'mosaic-playground-transfer-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'mosaic-playground-encryption-key') },
  flags: { nps: false, promoteEE: false },
  autoOpen: false,
});

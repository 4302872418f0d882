// Where support chat's WebSockets are (live-feed.ts serves them; the console pages connect to them).
export const SUPPORT_LIVE_PATH = '/api/v1/support/live';
export const PLATFORM_SUPPORT_LIVE_PATH = '/api/v1/platform/support/live';

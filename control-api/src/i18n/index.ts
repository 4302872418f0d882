// What the portals, the customer pages, the SMS jobs and the RADIUS reject path use of the catalogues.
export { en } from './en';
export * from './request-language';
export { sw } from './sw';
export * from './translate';

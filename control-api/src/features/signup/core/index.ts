// The web sign-up's pure core: the flow, the SMS code, the email link, slug availability.

export * from './checklist';
export * from './email-link';
export * from './signup-flow';
export * from './slug';
export * from './sms-code';

// A hotspot plan as the captive portal shows it: what page.tsx and payment-sections.tsx both render.

export interface PortalPlan {
  id: string;
  name: string;
  priceShillings: number;
  validityText: string;
  deviceLimit: number;
}

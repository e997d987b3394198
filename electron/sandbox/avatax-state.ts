/** The AvaTax sandbox's data: plain JSON (demo mode keeps it in the data folder). */

export interface StoredTransaction {
  id: number;
  code: string;
  companyCode: string;
  type: string;
  status: 'Saved' | 'Committed' | 'Cancelled' | 'Adjusted';
  version: number;
  locked: boolean;
  /** The full TransactionModel as returned. */
  model: Record<string, unknown>;
  /** The request that produced it, for comparisons in tests. */
  request: Record<string, unknown>;
}

export interface DirectoryAddress {
  line1: string;
  city: string;
  region: string;
  postalCode: string;
  country: 'US' | 'CA';
  /** House numbers that exist on this street. */
  numbers: [number, number];
  latitude: number;
  longitude: number;
}

export interface AvaTaxSandboxState {
  version: 1;
  nextId: number;
  accounts: { accountId: string; licenseKey: string }[];
  companies: { companyCode: string; companyId: number; country: string; vatNumber: string }[];
  transactions: StoredTransaction[];
  /** US/CA street directory the resolver knows. */
  directory: DirectoryAddress[];
  /** How many create / createoradjust calls each code received (duplicate detection in tests). */
  createCalls: Record<string, number>;
}

export function emptyAvaTaxState(): AvaTaxSandboxState {
  return {
    version: 1,
    nextId: 85_000_000_001,
    accounts: [],
    companies: [],
    transactions: [],
    directory: [],
    createCalls: {},
  };
}

/** A small real-looking US directory for demo mode and tests. */
export const US_DIRECTORY: DirectoryAddress[] = [
  {
    line1: '100 Main St',
    city: 'Irvine',
    region: 'CA',
    postalCode: '92614',
    country: 'US',
    numbers: [1, 2999],
    latitude: 33.6914,
    longitude: -117.8675,
  },
  {
    line1: '2000 Main St',
    city: 'Irvine',
    region: 'CA',
    postalCode: '92614',
    country: 'US',
    numbers: [1, 2999],
    latitude: 33.6914,
    longitude: -117.8675,
  },
  {
    line1: '350 5th Ave',
    city: 'New York',
    region: 'NY',
    postalCode: '10118',
    country: 'US',
    numbers: [1, 1199],
    latitude: 40.7484,
    longitude: -73.9857,
  },
  {
    line1: '400 Broad St',
    city: 'Seattle',
    region: 'WA',
    postalCode: '98109',
    country: 'US',
    numbers: [1, 999],
    latitude: 47.6205,
    longitude: -122.3493,
  },
  {
    line1: '1500 Marilla St',
    city: 'Dallas',
    region: 'TX',
    postalCode: '75201',
    country: 'US',
    numbers: [1, 1999],
    latitude: 32.7767,
    longitude: -96.797,
  },
  {
    line1: '290 Bremner Blvd',
    city: 'Toronto',
    region: 'ON',
    postalCode: 'M5V 3L9',
    country: 'CA',
    numbers: [1, 499],
    latitude: 43.6426,
    longitude: -79.3871,
  },
];

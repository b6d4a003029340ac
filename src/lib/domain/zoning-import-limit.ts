/**
 * The largest zoning plan upload (POST /api/zoning/plans) the server reads, in bytes of the JSON
 * body: shared so the admin's form refuses a larger file before sending it, with the same number.
 * A province's detailed plan with its parcels can run to tens of MB of coordinates (the demo is 118 KB).
 */
export const ZONING_IMPORT_MAX_BYTES = 25 * 1024 * 1024;

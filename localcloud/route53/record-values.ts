// Validation of record values with Route 53's messages ("Invalid Resource Record: 'FATAL
// problem: ...' encountered with '...'").
import { isIPv4, isIPv6 } from 'node:net';

function fatal(problem: string, explanation: string, value: string): string {
  return `Invalid Resource Record: 'FATAL problem: ${problem} (${explanation}) encountered with '${value}''`;
}

const HOSTNAME = /^(\*\.)?([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.)*[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.?$/;

/** The problem with one value of a record of the given type, or undefined when it is fine. */
export function invalidValue(type: string, value: string): string | undefined {
  switch (type) {
    case 'A':
      return isIPv4(value) ? undefined : fatal('ARRDATAIllegalIPv4Address', 'Value is not a valid IPv4 address', value);
    case 'AAAA':
      return isIPv6(value) ? undefined : fatal('AAAARRDATAIllegalIPv6Address', 'Value is not a valid IPv6 address', value);
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return HOSTNAME.test(value) ? undefined : fatal('DomainLabelEmpty', 'Domain label is empty', value);
    case 'MX': {
      const match = /^(\d+)\s+(\S+)$/.exec(value);
      if (!match || Number(match[1]) > 65535) return fatal('MXRRDATANotTwoFields', 'MX RRDATA must contain a priority and a domain name', value);
      return undefined;
    }
    case 'SRV': {
      const match = /^(\d+)\s+(\d+)\s+(\d+)\s+(\S+)$/.exec(value);
      return match ? undefined : fatal('SRVRRDATANotFourFields', 'SRV RRDATA must contain priority, weight, port and target', value);
    }
    case 'TXT':
    case 'SPF':
      return /^("([^"\\]|\\.)*"\s*)+$/.test(value)
        ? undefined
        : fatal('InvalidCharacterString', 'Value should be enclosed in quotation marks', value);
    case 'CAA':
      return /^\d+\s+\S+\s+".*"$/.test(value) ? undefined : fatal('CAARRDATANotThreeFields', 'CAA RRDATA must contain flags, tag and value', value);
    default:
      return undefined;
  }
}

export const RECORD_TYPES = ['SOA', 'A', 'TXT', 'NS', 'CNAME', 'MX', 'NAPTR', 'PTR', 'SRV', 'SPF', 'AAAA', 'CAA', 'DS', 'TLSA', 'SSHFP', 'SVCB', 'HTTPS'];

import { describe, expect, it } from 'vitest';
import { ExpositionFormatError, readMetricTotals } from './prometheus-text.ts';

const PAGE = `# HELP http_requests_in_flight Requests being served.
# TYPE http_requests_in_flight gauge
http_requests_in_flight 3
# HELP http_requests_total Requests received.
# TYPE http_requests_total counter
http_requests_total{code="200",path="/a"} 120
http_requests_total{code="500",path="/a b \\"quoted\\" {}"} 7 1700000000000
http_requests_total_created 1.7e9
queue_average_concurrent_requests{destination_pod="p-1"} 2.5
other_metric{x="y"} not-a-number
`;

describe('readMetricTotals', () => {
  it('sums every series of each wanted metric and skips the rest unparsed', () => {
    const got = readMetricTotals(PAGE, new Set(['http_requests_in_flight', 'http_requests_total', 'queue_average_concurrent_requests']));
    expect(Object.fromEntries(got)).toEqual({
      http_requests_in_flight: { sum: 3, series: 1 },
      http_requests_total: { sum: 127, series: 2 },
      queue_average_concurrent_requests: { sum: 2.5, series: 1 },
    });
  });

  it('leaves out a metric that is not on the page (never a zero)', () => {
    expect(readMetricTotals(PAGE, new Set(['absent_metric'])).has('absent_metric')).toBe(false);
  });

  it('does not take a longer name for a wanted one', () => {
    expect(readMetricTotals('reqs_total 5\nreqs 2\n', new Set(['reqs'])).get('reqs')).toEqual({ sum: 2, series: 1 });
  });

  it.each([
    { value: '1e3', want: 1000 },
    { value: '-2.5', want: -2.5 },
    { value: '0', want: 0 },
  ])('reads the value $value as $want', ({ value, want }) => {
    expect(readMetricTotals(`m ${value}\n`, new Set(['m'])).get('m')?.sum).toBe(want);
  });

  it.each([
    { line: 'm NaN', problem: 'no finite value' },
    { line: 'm +Inf', problem: 'no finite value' },
    { line: 'm', problem: 'no finite value' },
    { line: 'm{a="b" 1', problem: 'unclosed label set' },
    { line: 'm{a="b}"', problem: 'unclosed label set' },
  ])('rejects "$line" of a wanted metric, naming the line', ({ line, problem }) => {
    const read = () => readMetricTotals(`# TYPE m gauge\n${line}\n`, new Set(['m']));
    expect(read).toThrow(ExpositionFormatError);
    expect(read).toThrow(`line 2: `);
    expect(read).toThrow(problem);
  });

  it('reads CRLF pages and OpenMetrics # EOF', () => {
    expect(readMetricTotals('a 1\r\nb 2\r\n# EOF\r\n', new Set(['a', 'b'])).get('b')).toEqual({ sum: 2, series: 1 });
  });
});

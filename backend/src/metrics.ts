// Prometheus metrics in the text exposition format, kept by hand: request counts and a latency
// histogram per route and status, plus gauges read at scrape time.

const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

export class Metrics {
  private readonly requests = new Map<string, Series>();
  private readonly counters = new Map<string, number>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${escape(route)}",status="${status}"`;
    const series = this.requests.get(key) ?? { count: 0, sum: 0, buckets: buckets.map(() => 0) };
    series.count++;
    series.sum += seconds;
    buckets.forEach((le, i) => {
      if (seconds <= le) series.buckets[i]++;
    });
    this.requests.set(key, series);
  }

  count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  render(gauges: Record<string, { help: string; value: number }>): string {
    const lines: string[] = [
      '# HELP qlp_http_requests_total Requests answered, by method, route and status.',
      '# TYPE qlp_http_requests_total counter',
      ...[...this.requests].map(([labels, s]) => `qlp_http_requests_total{${labels}} ${s.count}`),
      '# HELP qlp_http_request_duration_seconds Time to answer a request.',
      '# TYPE qlp_http_request_duration_seconds histogram',
    ];
    for (const [labels, s] of this.requests) {
      buckets.forEach((le, i) => lines.push(`qlp_http_request_duration_seconds_bucket{${labels},le="${le}"} ${s.buckets[i]}`));
      lines.push(`qlp_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      lines.push(`qlp_http_request_duration_seconds_sum{${labels}} ${s.sum}`);
      lines.push(`qlp_http_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    for (const [name, value] of this.counters) lines.push(`# TYPE ${name} counter`, `${name} ${value}`);
    for (const [name, g] of Object.entries(gauges)) lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.value}`);
    return `${lines.join('\n')}\n`;
  }
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

// A small HTTP client for end-to-end API tests: log in as a demo account, then call /api/v1 with its token.
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them.
type LooseJson = any;

export interface ApiResponse<Body = LooseJson> {
  status: number;
  body: Body;
  text: string;
  headers: Headers;
}

export interface ApiClient {
  readonly token: string;
  request<Body = LooseJson>(method: string, path: string, body?: unknown): Promise<ApiResponse<Body>>;
  get<Body = LooseJson>(path: string): Promise<ApiResponse<Body>>;
  post<Body = LooseJson>(path: string, body?: unknown): Promise<ApiResponse<Body>>;
  patch<Body = LooseJson>(path: string, body?: unknown): Promise<ApiResponse<Body>>;
  delete<Body = LooseJson>(path: string): Promise<ApiResponse<Body>>;
}

/** Sends one request; JSON bodies are parsed, anything else is left in `text`. */
export async function apiRequest<Body = LooseJson>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<ApiResponse<Body>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  return {
    status: response.status,
    body: (isJson && text ? JSON.parse(text) : undefined) as Body,
    text,
    headers: response.headers,
  };
}

export async function login(
  baseUrl: string,
  credentials: { email: string; password: string },
): Promise<ApiClient> {
  const response = await apiRequest<{ token: string }>(baseUrl, 'POST', '/api/v1/auth/login', {
    body: credentials,
  });
  if (response.status !== 200)
    throw new Error(`login of ${credentials.email} failed: ${response.status} ${response.text}`);
  return clientWithToken(baseUrl, response.body.token);
}

export function clientWithToken(baseUrl: string, token: string): ApiClient {
  const request = <Body>(method: string, path: string, body?: unknown) =>
    apiRequest<Body>(baseUrl, method, path, { token, body });
  return {
    token,
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
  };
}

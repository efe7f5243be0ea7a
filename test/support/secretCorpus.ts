// Ordinary secrets as projects hold them (each must be kept out of snapshots and exports), and
// the placeholders that look like them (none may be flagged). Values are made at run time, so
// nothing secret-looking is written into the repository.
import { randomBytes } from 'node:crypto';

// Random letters and digits with at least one digit, as key generators give in practice: a short
// value of letters only is not told from a word by QLP's rules (docs/capsules.md says so), and
// left to chance it made this corpus miss one time in thirty.
const alnum = (n: number) => {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const value = [...randomBytes(n)].map((b) => chars[b % chars.length]).join('');
  return /\d/.test(value) ? value : `${value.slice(0, -1)}7`;
};
/** A password people type: letters, digits and a symbol. */
const password = () => `${alnum(6)}-${alnum(3)}7!`;

/** path → content; every file holds a secret on the line given (1-based). */
export function secretCorpus(): Record<string, { text: string; line: number }> {
  const pw = password();
  return {
    '.env': { text: `# local settings\nDB_PASSWORD=${pw}\nDEBUG=true\n`, line: 2 },
    '.env.production': { text: `NODE_ENV=production\nAPI_URL=https://api.example.com\n`, line: 1 },
    '.env.local': { text: `JWT_SECRET=${alnum(40)}\n`, line: 1 },
    'backend/settings.py': { text: `import os\n\nSECRET_KEY = "${randomBytes(16).toString('hex')}"\nDEBUG = False\n`, line: 3 },
    'src/auth/jwt.ts': {
      text: `import jwt from 'jsonwebtoken';\n\nconst JWT_SECRET = '${alnum(24)}';\nexport const sign = (p: object) => jwt.sign(p, JWT_SECRET);\n`,
      line: 3,
    },
    'src/config/cache.ts': { text: `export const REDIS_URL = 'redis://:${pw}@cache.internal:6379/0';\n`, line: 1 },
    'src/billing.ts': { text: `import Stripe from 'stripe';\n\nexport const stripe = new Stripe('${['sk', 'live', alnum(24)].join('_')}');\n`, line: 3 },
    'docker-compose.yml': { text: `services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: ${pw}\n`, line: 5 },
    'config/database.yml': { text: `production:\n  adapter: postgresql\n  username: app\n  password: ${pw}\n`, line: 4 },
    'src/main/resources/application.properties': { text: `spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=${pw}\n`, line: 2 },
    'appsettings.json': { text: `{\n  "AzureAd": {\n    "ClientId": "4f1c",\n    "ClientSecret": "${alnum(34)}"\n  }\n}\n`, line: 4 },
    'config/mail.php': { text: `<?php\nreturn [\n    'host' => 'smtp.example.com',\n    'password' => '${pw}',\n];\n`, line: 4 },
    'deploy.sh': { text: `#!/bin/sh\nexport API_TOKEN=${alnum(32)}\ncurl -H "Authorization: $API_TOKEN" https://example.com\n`, line: 2 },
    'infra/terraform.tfvars': { text: `region      = "eu-west-1"\ndb_password = "${pw}"\n`, line: 2 },
    'internal/db/config.go': { text: `package db\n\nvar Default = Config{\n\tUser:     "app",\n\tPassword: "${pw}",\n}\n`, line: 5 },
    'scripts/seed.py': { text: `import psycopg2\n\nconn = psycopg2.connect(host="db", user="app", password="${pw}")\n`, line: 3 },
    'src/mail.js': { text: `const transport = nodemailer.createTransport({\n  auth: { user: 'noreply@example.com', pass: '${pw}' },\n});\n`, line: 2 },
    'config/secrets.yml': { text: `production:\n  secret_key_base: ${randomBytes(32).toString('hex')}\n`, line: 2 },
    '.npmrc': { text: `registry=https://registry.example.com/\n//registry.example.com/:_authToken=${alnum(36)}\n`, line: 2 },
    'src/client.ts': { text: `export const client = new Client({\n  apiKey: "${alnum(8)}${randomBytes(12).toString('hex')}",\n});\n`, line: 2 },
  };
}

/** Files whose secret-looking names hold only placeholders, references and types. */
export const placeholderCorpus: Record<string, string> = {
  '.env.example': 'DB_PASSWORD=changeme\nJWT_SECRET=\nSTRIPE_KEY=<your-key>\n',
  '.env.sample': 'API_TOKEN=your-token-here\n',
  '.env.template': 'SECRET_KEY=${SECRET_KEY}\n',
  'settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\npassword = os.environ["X"]\nDB_PASSWORD = os.getenv("DB_PASSWORD", "")\n',
  'src/config.ts': [
    'export const config = {',
    '  apiKey: process.env.API_KEY,',
    "  password: process.env.DB_PASSWORD ?? '',",
    "  token: '<your-key>',",
    "  secret: '${VAR}',",
    "  clientSecret: 'xxx',",
    '  dbPassword: "changeme",',
    "  sessionSecret: 'SESSION_SECRET',",
    '};',
    '',
  ].join('\n'),
  'src/types.ts':
    'export interface Credentials {\n  password: string;\n  apiKey?: string;\n  token: string | null;\n}\nexport declare function login(password: string): Promise<Credentials>;\n',
  'deploy/compose.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      MYSQL_PASSWORD: "{{ vault_db_password }}"\n',
  'test/login.test.ts': "const password = process.env.TEST_PASSWORD!;\nconst token = await login({ user: 'alice', password });\nexpect(token).toBeDefined();\n",
  'src/LoginForm.tsx':
    'const [password, setPassword] = useState(\'\');\nreturn <input type="password" name="password" placeholder="Password" value={password} />;\n',
  'config/locales/de.yml': 'de:\n  password: Passwort\n  forgot_password: Passwort vergessen?\n',
  'README.md': 'Set `DB_PASSWORD=your-password` and connect to postgres://user:password@localhost:5432/app.\n',
  'schema.json': '{ "password": { "type": "string", "minLength": 8 }, "token": { "type": "string" } }\n',
  'src/url.ts': 'export const url = (user: string, password: string) => `postgres://${user}:${password}@db/app`;\n',
  'src/lexer.ts': "const tokens = tokenize(src);\nconst maxTokens = 4096;\nconst tokenType = 'keyword';\nconst rule = { token: 'string.quoted.double' };\n",
  'config/app.yml': 'auth:\n  password_min_length: 12\n  token_ttl: 3600\n  secret_name: app-secret\n  private_key_path: /run/secrets/key.pem\n',
};

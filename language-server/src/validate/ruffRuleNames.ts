// Ruff's rule names (the slug of each rule's documentation page) for the rules QLP turns on by
// default: pycodestyle E4, E7, E9 and common E5/W, pyflakes F, flake8-bandit S. Ruff's WebAssembly
// build reports only codes; these names are taken from Ruff's rule registry, and a unit test
// checks each one is still a rule name of the bundled Ruff. Other codes link to their linter's
// section of the rules index (ruffLinters).
const names: Record<string, string> = {
  E401: 'multiple-imports-on-one-line', E402: 'module-import-not-at-top-of-file', E501: 'line-too-long',
  E701: 'multiple-statements-on-one-line-colon', E702: 'multiple-statements-on-one-line-semicolon', E703: 'useless-semicolon',
  E711: 'none-comparison', E712: 'true-false-comparison', E713: 'not-in-test', E714: 'not-is-test', E721: 'type-comparison',
  E722: 'bare-except', E731: 'lambda-assignment', E741: 'ambiguous-variable-name', E742: 'ambiguous-class-name',
  E743: 'ambiguous-function-name', E902: 'io-error',
  W191: 'tab-indentation', W291: 'trailing-whitespace', W292: 'missing-newline-at-end-of-file', W293: 'blank-line-with-whitespace',
  W505: 'doc-line-too-long', W605: 'invalid-escape-sequence',
  F401: 'unused-import', F402: 'import-shadowed-by-loop-var', F403: 'undefined-local-with-import-star', F404: 'late-future-import',
  F405: 'undefined-local-with-import-star-usage', F406: 'undefined-local-with-nested-import-star-usage', F407: 'future-feature-not-defined',
  F501: 'percent-format-invalid-format', F502: 'percent-format-expected-mapping', F503: 'percent-format-expected-sequence',
  F504: 'percent-format-extra-named-arguments', F505: 'percent-format-missing-argument', F506: 'percent-format-mixed-positional-and-named',
  F507: 'percent-format-positional-count-mismatch', F508: 'percent-format-star-requires-sequence', F509: 'percent-format-unsupported-format-character',
  F521: 'string-dot-format-invalid-format', F522: 'string-dot-format-extra-named-arguments', F523: 'string-dot-format-extra-positional-arguments',
  F524: 'string-dot-format-missing-arguments', F525: 'string-dot-format-mixing-automatic', F541: 'f-string-missing-placeholders',
  F601: 'multi-value-repeated-key-literal', F602: 'multi-value-repeated-key-variable', F621: 'expressions-in-star-assignment',
  F622: 'multiple-starred-expressions', F631: 'assert-tuple', F632: 'is-literal', F633: 'invalid-print-syntax', F634: 'if-tuple',
  F701: 'break-outside-loop', F702: 'continue-outside-loop', F704: 'yield-outside-function', F706: 'return-outside-function',
  F707: 'default-except-not-last', F722: 'forward-annotation-syntax-error', F811: 'redefined-while-unused', F821: 'undefined-name',
  F822: 'undefined-export', F823: 'undefined-local', F841: 'unused-variable', F842: 'unused-annotation', F901: 'raise-not-implemented',
  S101: 'assert', S102: 'exec-builtin', S103: 'bad-file-permissions', S104: 'hardcoded-bind-all-interfaces', S105: 'hardcoded-password-string',
  S106: 'hardcoded-password-func-arg', S107: 'hardcoded-password-default', S108: 'hardcoded-temp-file', S110: 'try-except-pass',
  S112: 'try-except-continue', S113: 'request-without-timeout', S201: 'flask-debug-true', S202: 'tarfile-unsafe-members',
  S301: 'suspicious-pickle-usage', S302: 'suspicious-marshal-usage', S303: 'suspicious-insecure-hash-usage', S304: 'suspicious-insecure-cipher-usage',
  S305: 'suspicious-insecure-cipher-mode-usage', S306: 'suspicious-mktemp-usage', S307: 'suspicious-eval-usage', S308: 'suspicious-mark-safe-usage',
  S310: 'suspicious-url-open-usage', S311: 'suspicious-non-cryptographic-random-usage', S312: 'suspicious-telnet-usage',
  S313: 'suspicious-xmlc-element-tree-usage', S314: 'suspicious-xml-element-tree-usage', S315: 'suspicious-xml-expat-reader-usage',
  S316: 'suspicious-xml-expat-builder-usage', S317: 'suspicious-xml-sax-usage', S318: 'suspicious-xml-mini-dom-usage',
  S319: 'suspicious-xml-pull-dom-usage', S320: 'suspicious-xmle-tree-usage', S321: 'suspicious-ftp-lib-usage',
  S323: 'suspicious-unverified-context-usage', S324: 'hashlib-insecure-hash-function', S401: 'suspicious-telnetlib-import',
  S402: 'suspicious-ftplib-import', S403: 'suspicious-pickle-import', S404: 'suspicious-subprocess-import', S405: 'suspicious-xml-etree-import',
  S406: 'suspicious-xml-sax-import', S407: 'suspicious-xml-expat-import', S408: 'suspicious-xml-minidom-import',
  S409: 'suspicious-xml-pulldom-import', S410: 'suspicious-lxml-import', S411: 'suspicious-xmlrpc-import', S412: 'suspicious-httpoxy-import',
  S413: 'suspicious-pycrypto-import', S415: 'suspicious-pyghmi-import', S501: 'request-with-no-cert-validation', S502: 'ssl-insecure-version',
  S503: 'ssl-with-bad-defaults', S504: 'ssl-with-no-version', S505: 'weak-cryptographic-key', S506: 'unsafe-yaml-load',
  S507: 'ssh-no-host-key-verification', S508: 'snmp-insecure-version', S509: 'snmp-weak-cryptography', S601: 'paramiko-call',
  S602: 'subprocess-popen-with-shell-equals-true', S603: 'subprocess-without-shell-equals-true', S604: 'call-with-shell-equals-true',
  S605: 'start-process-with-a-shell', S606: 'start-process-with-no-shell', S607: 'start-process-with-partial-path',
  S608: 'hardcoded-sql-expression', S609: 'unix-command-wildcard-injection', S610: 'django-extra', S611: 'django-raw-sql',
  S612: 'logging-config-insecure-listen', S701: 'jinja2-autoescape-false', S702: 'mako-templates', S704: 'unsafe-markup-use',
};

/** Each Ruff linter's code prefix and its name; its section of the rules index is `#<name>-<prefix>`. */
const linterNames: Record<string, string> = {
  AIR: 'airflow', ERA: 'eradicate', FAST: 'fastapi', YTT: 'flake8-2020', ANN: 'flake8-annotations', ASYNC: 'flake8-async',
  S: 'flake8-bandit', BLE: 'flake8-blind-except', FBT: 'flake8-boolean-trap', B: 'flake8-bugbear', A: 'flake8-builtins',
  COM: 'flake8-commas', C4: 'flake8-comprehensions', CPY: 'flake8-copyright', DTZ: 'flake8-datetimez', T10: 'flake8-debugger',
  DJ: 'flake8-django', EM: 'flake8-errmsg', EXE: 'flake8-executable', FIX: 'flake8-fixme', FA: 'flake8-future-annotations',
  INT: 'flake8-gettext', ISC: 'flake8-implicit-str-concat', ICN: 'flake8-import-conventions', LOG: 'flake8-logging',
  G: 'flake8-logging-format', INP: 'flake8-no-pep420', PIE: 'flake8-pie', T20: 'flake8-print', PYI: 'flake8-pyi',
  PT: 'flake8-pytest-style', Q: 'flake8-quotes', RSE: 'flake8-raise', RET: 'flake8-return', SLF: 'flake8-self',
  SIM: 'flake8-simplify', SLOT: 'flake8-slots', TID: 'flake8-tidy-imports', TD: 'flake8-todos', TC: 'flake8-type-checking',
  ARG: 'flake8-unused-arguments', PTH: 'flake8-use-pathlib', FLY: 'flynt', I: 'isort', C90: 'mccabe', NPY: 'numpy-specific-rules',
  PD: 'pandas-vet', N: 'pep8-naming', PERF: 'perflint', DOC: 'pydoclint', D: 'pydocstyle', F: 'pyflakes', PGH: 'pygrep-hooks',
  UP: 'pyupgrade', FURB: 'refurb', RUF: 'ruff-specific-rules', TRY: 'tryceratops',
};
/** Linters whose section covers several prefixes. */
const sharedSections: Record<string, string> = { E: 'pycodestyle-e-w', W: 'pycodestyle-e-w', PLC: 'pylint-pl', PLE: 'pylint-pl', PLR: 'pylint-pl', PLW: 'pylint-pl' };
const sections: Record<string, string> = { ...Object.fromEntries(Object.entries(linterNames).map(([prefix, name]) => [prefix, `${name}-${prefix.toLowerCase()}`])), ...sharedSections };

export const ruffRuleNames: Readonly<Record<string, string>> = names;

/** The rules index's section for a code's linter, e.g. `pyflakes-f` for `F401`. */
export function ruffLinterAnchor(code: string): string | undefined {
  // The longest prefix followed by digits only: `C901` is mccabe's (C90), `C401` comprehensions' (C4).
  const prefix = Object.keys(sections)
    .filter((p) => code.startsWith(p) && /^\d+$/.test(code.slice(p.length)))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? sections[prefix] : undefined;
}

// Finds the cipher-list directive under the cursor and builds the
// `nginxls ciphers` invocation that lists what it enables. Free of the
// vscode module so that node:test can exercise it.

export interface CipherDirective {
  /** ssl_ciphers, proxy_ssl_ciphers, grpc_ssl_ciphers, ... */
  name: string;
  /** The cipher string as nginx reads it (quotes removed). */
  value: string;
  /** UTF-16 offsets of the directive: from its name to its ';' (exclusive). */
  start: number;
  end: number;
}

interface Statement {
  words: { text: string; start: number }[];
  start: number;
  end: number;
}

/**
 * Splits text into nginx statements the way nginx's reader does where it
 * matters here: quotes open only at the start of a word, '#' starts a
 * comment only there, '${' does not open a block, backslash escapes.
 */
function statements(text: string): Statement[] {
  const out: Statement[] = [];
  let cur: Statement | undefined;
  const push = (word: string, start: number) => {
    if (!cur) {
      cur = { words: [], start, end: start };
    }
    cur.words.push({ text: word, start });
  };
  const end = (at: number) => {
    if (cur) {
      cur.end = at;
      out.push(cur);
      cur = undefined;
    }
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      end(i + 1);
      i++;
    } else if (c === '"' || c === "'") {
      const start = i;
      let word = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const n = text[i + 1];
          word += n === c || n === '\\' ? n : `\\${n}`;
          i += 2;
        } else {
          word += text[i++];
        }
      }
      i++; // closing quote
      push(word, start);
    } else {
      const start = i;
      let word = '';
      while (i < text.length) {
        const d = text[i];
        if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';') break;
        if (d === '{' && text[i - 1] !== '$') break;
        if (d === '\\' && i + 1 < text.length) {
          word += text[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      push(word, start);
    }
  }
  end(text.length);
  return out;
}

const CIPHER_DIRECTIVE = /^([a-z0-9_]+_)?ssl_ciphers$/;

/**
 * The cipher-list directive at offset (a UTF-16 offset, as VS Code's
 * document.offsetAt gives), or, when the cursor is not inside one, the
 * first one on the cursor's line.
 */
export function findCipherDirective(text: string, offset: number): CipherDirective | undefined {
  const candidates = statements(text)
    .filter((s) => s.words.length >= 2 && CIPHER_DIRECTIVE.test(s.words[0].text))
    .map((s) => ({ name: s.words[0].text, value: s.words[1].text, start: s.start, end: s.end }));
  const inside = candidates.find((d) => d.start <= offset && offset <= d.end);
  if (inside) {
    return inside;
  }
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  return candidates.find((d) => d.start >= lineStart && d.start <= lineEnd);
}

/** Arguments of `nginxls ciphers`; "--" because cipher strings may start with '-'. */
export function ciphersArgs(value: string, openssl?: string): string[] {
  const args = ['ciphers'];
  if (openssl) {
    args.push('--openssl', openssl);
  }
  args.push('--', value);
  return args;
}

/**
 * The textual syntax of an applicability condition, as an official annex spreadsheet carries it in a cell:
 *
 *   echange_donnees=oui ET dispositif_medical=non
 *   compte_usager=compte-propre|france-connect
 *   NON (teleconsultation=oui OU utilisateurs_professionnels=oui)
 *
 * `question=valeur` (`!=` for the opposite; `a|b` for one of several options), joined with ET / OU (AND / OR),
 * negated with NON (NOT), grouped with parentheses; ET binds tighter than OU. Yes/no questions take oui/non
 * (yes/no, vrai/faux, true/false). An empty cell, « toujours » or « always » means the criterion always
 * applies. Parsed against a questionnaire, so that an unknown question or option is reported. Pure.
 */
import type { Condition, Question } from './schema.ts';

export type ParsedCondition = { ok: true; condition: Condition | undefined } | { ok: false; error: string };

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'op'; text: '=' | '!=' | '(' | ')' | '|'; at: number };

const TRUE_WORDS = ['oui', 'yes', 'vrai', 'true'];
const FALSE_WORDS = ['non', 'no', 'faux', 'false'];
const ALWAYS_WORDS = ['toujours', 'always', '-'];

class SyntaxProblem extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '!' && text[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '!=', at: i });
      i += 2;
    } else if (ch === '≠') {
      tokens.push({ kind: 'op', text: '!=', at: i });
      i++;
    } else if (ch === '=' || ch === '(' || ch === ')' || ch === '|') {
      tokens.push({ kind: 'op', text: ch, at: i });
      i++;
    } else {
      const match = /^[\p{L}\p{N}_.'’-]+/u.exec(text.slice(i));
      if (!match) throw new SyntaxProblem(`caractère inattendu « ${ch} » (position ${i + 1})`);
      tokens.push({ kind: 'word', text: match[0], at: i });
      i += match[0].length;
    }
  }
  return tokens;
}

const keyword = (token: Token | undefined, ...words: string[]) =>
  token?.kind === 'word' && words.includes(token.text.toUpperCase());

/** Parses a condition cell against the questionnaire it refers to. */
export function parseConditionText(text: string, questionnaire: Question[]): ParsedCondition {
  const trimmed = text.trim();
  if (trimmed === '' || ALWAYS_WORDS.includes(trimmed.toLowerCase()))
    return { ok: true, condition: undefined };
  const questions = new Map(questionnaire.map((question) => [question.id, question]));
  let tokens: Token[];
  try {
    tokens = tokenize(trimmed);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  let position = 0;
  const peek = () => tokens[position];
  const describe = (token: Token | undefined) => (token ? `« ${token.text} »` : 'la fin de la condition');

  const parseOr = (): Condition => {
    const parts = [parseAnd()];
    while (keyword(peek(), 'OU', 'OR')) {
      position++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : { any: parts };
  };
  const parseAnd = (): Condition => {
    const parts = [parseUnary()];
    while (keyword(peek(), 'ET', 'AND')) {
      position++;
      parts.push(parseUnary());
    }
    return parts.length === 1 ? parts[0] : { all: parts };
  };
  const parseUnary = (): Condition => {
    const token = peek();
    if (keyword(token, 'NON', 'NOT') && tokens[position + 1]?.text !== '=') {
      position++;
      return { not: parseUnary() };
    }
    if (token?.kind === 'op' && token.text === '(') {
      position++;
      const inner = parseOr();
      const close = peek();
      if (!(close?.kind === 'op' && close.text === ')')) {
        throw new SyntaxProblem(`parenthèse fermante attendue avant ${describe(close)}`);
      }
      position++;
      return inner;
    }
    return parseTest();
  };
  const parseTest = (): Condition => {
    const name = peek();
    if (name?.kind !== 'word') throw new SyntaxProblem(`question attendue avant ${describe(name)}`);
    position++;
    const question = questions.get(name.text);
    if (!question) {
      throw new SyntaxProblem(
        `question inconnue « ${name.text} » (questions : ${[...questions.keys()].join(', ')})`,
      );
    }
    const op = peek();
    if (!(op?.kind === 'op' && (op.text === '=' || op.text === '!='))) {
      throw new SyntaxProblem(`« = » ou « != » attendu après ${name.text}, trouvé ${describe(op)}`);
    }
    position++;
    const values: string[] = [];
    for (;;) {
      const value = peek();
      if (value?.kind !== 'word')
        throw new SyntaxProblem(`valeur attendue pour ${name.text}, trouvé ${describe(value)}`);
      values.push(value.text);
      position++;
      const bar = peek();
      if (!(bar?.kind === 'op' && bar.text === '|')) break;
      position++;
    }
    const test = questionTest(question, values);
    return op.text === '!=' ? { not: test } : test;
  };

  try {
    const condition = parseOr();
    if (position < tokens.length) {
      throw new SyntaxProblem(`${describe(peek())} inattendu (ET ou OU manquant ?)`);
    }
    return { ok: true, condition };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, error: error.message };
    throw error;
  }
}

function questionTest(question: Question, values: string[]): Condition {
  if (question.type === 'boolean') {
    if (values.length > 1)
      throw new SyntaxProblem(`${question.id} est une question oui/non : une seule valeur`);
    const word = values[0].toLowerCase();
    if (TRUE_WORDS.includes(word)) return { question: question.id, equals: true };
    if (FALSE_WORDS.includes(word)) return { question: question.id, equals: false };
    throw new SyntaxProblem(`${question.id} est une question oui/non : « ${values[0]} » n’est ni oui ni non`);
  }
  const options = question.options ?? [];
  for (const value of values) {
    if (!options.some((option) => option.value === value)) {
      throw new SyntaxProblem(
        `${question.id} n’a pas d’option « ${value} » (options : ${options.map((o) => o.value).join(', ')})`,
      );
    }
  }
  return values.length === 1
    ? { question: question.id, equals: values[0] }
    : { question: question.id, in: values };
}

/** A condition in the textual syntax (the inverse of `parseConditionText`, for documentation and export). */
export function formatConditionText(condition: Condition | undefined, nested = false): string {
  if (!condition || 'always' in condition) return 'toujours';
  const group = (text: string) => (nested ? `(${text})` : text);
  if ('all' in condition) {
    return group((condition.all as Condition[]).map((c) => formatConditionText(c, true)).join(' ET '));
  }
  if ('any' in condition) {
    return group((condition.any as Condition[]).map((c) => formatConditionText(c, true)).join(' OU '));
  }
  if ('not' in condition) return `NON ${formatConditionText(condition.not as Condition, true)}`;
  if (typeof condition.equals === 'boolean')
    return `${condition.question}=${condition.equals ? 'oui' : 'non'}`;
  if (condition.equals !== undefined) return `${condition.question}=${condition.equals}`;
  if (condition.in) return `${condition.question}=${condition.in.join('|')}`;
  return condition.question;
}

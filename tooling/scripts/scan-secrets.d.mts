export interface SecretFinding {
  kind: string;
  line: number;
  excerpt: string;
}
export function findSecrets(text: string): SecretFinding[];

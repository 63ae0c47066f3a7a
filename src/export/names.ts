/** PascalCase identifier for a name ("create refund" → "CreateRefund"). */
export function pascalCase(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter(Boolean);
  const id = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return /^\p{L}|^_/u.test(id) ? id : `T${id}`;
}

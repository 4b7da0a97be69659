/** Where a member lands: the DPO, who takes part in no situation, on their own screen. */
export function homePath(role: string): string {
  return role === 'dpo' ? '/protection-des-donnees' : '/situations';
}

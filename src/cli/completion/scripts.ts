/**
 * The completion scripts `kubemin completion <shell>` prints. Each asks `kubemin __complete` with
 * the words typed so far (the last one the word being completed) and shows what it prints: one
 * candidate per line, `candidate<TAB>description`, or `:files` for the shell's own file names.
 * kubemin answers from its command definitions and, for --app, --env, --from, --to and promote's
 * APP, from the specs in the working directory.
 */
export type Shell = 'bash' | 'zsh' | 'fish';

const BASH = `# kubemin completion for bash. Load it with: source <(kubemin completion bash)
# or install it: kubemin completion bash > /etc/bash_completion.d/kubemin
_kubemin_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  local -a lines
  lines=($(kubemin __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  COMPREPLY=()
  if [[ "\${lines[0]}" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
    return 0
  fi
  local l
  for l in "\${lines[@]}"; do
    COMPREPLY+=("\${l%%$'\\t'*}")
  done
  return 0
}
complete -o default -F _kubemin_complete kubemin
`;

const ZSH = `#compdef kubemin
# kubemin completion for zsh. Load it with: source <(kubemin completion zsh)
# or install it as _kubemin in a directory of $fpath.
_kubemin() {
  local -a lines candidates
  local l
  lines=("\${(@f)$(kubemin __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${lines[1]}" == ":files" ]]; then
    _files
    return
  fi
  for l in "\${lines[@]}"; do
    [[ -z "$l" ]] && continue
    if [[ "$l" == *$'\\t'* ]]; then
      candidates+=("\${\${l%%$'\\t'*}//:/\\\\:}:\${l#*$'\\t'}")
    else
      candidates+=("\${l//:/\\\\:}")
    fi
  done
  _describe -t kubemin 'kubemin' candidates
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _kubemin "$@"
else
  compdef _kubemin kubemin
fi
`;

const FISH = `# kubemin completion for fish. Load it with: kubemin completion fish | source
# or install it: kubemin completion fish > ~/.config/fish/completions/kubemin.fish
function __kubemin_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l out (kubemin __complete $tokens (commandline -ct) 2>/dev/null)
    if test "$out[1]" = ":files"
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end
complete -c kubemin -f -a '(__kubemin_complete)'
`;

export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return BASH;
    case 'zsh':
      return ZSH;
    case 'fish':
      return FISH;
    default: {
      const never: never = shell;
      throw new Error(`unknown shell ${String(never)}`);
    }
  }
}

import type { Deps } from './deps.js'

/** Where the two shared files are (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/…). Its own module: the agent's fast path needs it without the INI loader. */
export function configPaths(deps: Pick<Deps, 'env' | 'homedir'>): { configPath: string; credentialsPath: string } {
  const home = deps.homedir()
  const expand = (path: string): string => (path.startsWith('~/') ? `${home}/${path.slice(2)}` : path)
  return {
    configPath: expand(deps.env.AWS_CONFIG_FILE || `${home}/.aws/config`),
    credentialsPath: expand(deps.env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`),
  }
}

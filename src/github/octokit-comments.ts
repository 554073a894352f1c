import type { getOctokit } from '@actions/github';
import type { CommentsApi } from './sticky-comments.js';

type Octokit = ReturnType<typeof getOctokit>;

/** CommentsApi over the GitHub REST API (issue comments: a pull request is an issue). */
export function octokitComments(octokit: Octokit, where: { owner: string; repo: string; issueNumber: number }): CommentsApi {
  const base = { owner: where.owner, repo: where.repo };
  return {
    async list() {
      const all = await octokit.paginate(octokit.rest.issues.listComments, { ...base, issue_number: where.issueNumber, per_page: 100 });
      return all.map((c) => ({ id: c.id, body: c.body ?? '' }));
    },
    async create(body) {
      const res = await octokit.rest.issues.createComment({ ...base, issue_number: where.issueNumber, body });
      return res.data.id;
    },
    async update(id, body) {
      await octokit.rest.issues.updateComment({ ...base, comment_id: id, body });
    },
    async remove(id) {
      await octokit.rest.issues.deleteComment({ ...base, comment_id: id });
    },
  };
}

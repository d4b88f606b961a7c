import { ListAgenciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAgenciesV5Request';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../../../helpers/sandbox';
import { failure, type PageInfoWire, quietHuaweiClient, wire } from '../sdk';
import { DOMAIN, huaweiWorld, KEYS, OTHER_DOMAIN } from '../world';

const sandbox = useSandbox(huaweiWorld);

interface AgenciesPage {
  agencies: { agency_id: string; agency_name: string; urn: string; path: string }[];
  page_info: PageInfoWire;
}

const agenciesPage = async (options: { limit?: number; marker?: string; creds?: typeof KEYS.other } = {}) => {
  const request = new ListAgenciesV5Request();
  if (options.limit !== undefined) request.withLimit(options.limit);
  if (options.marker !== undefined) request.withMarker(options.marker);
  return wire<AgenciesPage>(
    await quietHuaweiClient(sandbox.current.url, options.creds).listAgenciesV5(request),
  );
};

describe('huawei ListAgenciesV5', () => {
  it("lists the account's agencies and trust agencies with the SDK model fields", async () => {
    const page = await agenciesPage();
    expect(page.httpStatusCode).toBe(200);
    expect(page.page_info).toEqual({ current_count: 4 });
    expect(page.agencies.map((a) => [a.agency_id, a.agency_name])).toEqual([
      ['ag-busy', 'migration-tool'],
      ['ag-ci', 'ci-deployer'],
      ['ag-empty', 'unused'],
      ['ag-trust', 'external-auditor'],
    ]);
    expect(page.agencies[1]).toMatchObject({ urn: `iam::${DOMAIN}:agency:ci-deployer`, path: '' });
  });

  it('pages with limit and next_marker until every agency was seen once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await agenciesPage({ limit: 3, ...(marker === undefined ? {} : { marker }) });
      seen.push(...page.agencies.map((a) => a.agency_id));
      marker = page.page_info.next_marker;
    } while (marker !== undefined);
    expect(seen).toEqual(['ag-busy', 'ag-ci', 'ag-empty', 'ag-trust']);
  });

  it('refuses a limit outside 1-200 and a marker it never issued', async () => {
    expect(await failure(agenciesPage({ limit: 201 }))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'IAM.0007',
    });
    expect(await failure(agenciesPage({ marker: 'not-a-marker' }))).toMatchObject({ errorCode: 'PAP5.0010' });
  });

  it("lists only the caller's own account", async () => {
    const page = await agenciesPage({ creds: KEYS.other });
    expect(page.agencies).toEqual([
      expect.objectContaining({ agency_id: 'ag-other', urn: `iam::${OTHER_DOMAIN}:agency:elsewhere` }),
    ]);
  });
});

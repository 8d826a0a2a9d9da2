/** An allocator offer as a Mesos Offer: the node as an agent, its free resources in Mesos units. Pure. */
import type { V1Node } from '@kubernetes/client-node';
import type { Offer as AllocatorOffer } from '../../allocator/index.js';
import type { Attribute, Offer } from '../mesos/types/v1.js';
import { toMesosResources } from './mesos-resources.js';
import { toRanges } from './ports.js';

/** The kubelet's port when the node does not report one. */
const DEFAULT_AGENT_PORT = 10250;

export interface OfferContext {
  frameworkId: string;
  /** The framework has the GPU_RESOURCES capability. */
  gpus: boolean;
  /** The framework has MULTI_ROLE: resources and offer carry allocation_info. */
  multiRole: boolean;
  /** Host ports the offer carries. */
  ports: readonly number[];
}

/** Node labels as TEXT attributes, sorted by name so offers are stable. */
export function attributesOf(node: V1Node | undefined): Attribute[] {
  const labels = node?.metadata?.labels ?? {};
  return Object.keys(labels)
    .sort()
    .map((name) => ({ name, type: 'TEXT' as const, text: { value: labels[name] ?? '' } }));
}

function internalIp(node: V1Node | undefined): string | undefined {
  return node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export function mesosOffer(offer: AllocatorOffer, node: V1Node | undefined, ctx: OfferContext): Offer {
  const ip = internalIp(node);
  const port = node?.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? DEFAULT_AGENT_PORT;
  const allocation = ctx.multiRole ? { role: offer.role } : undefined;
  return {
    id: { value: offer.offerId },
    framework_id: { value: ctx.frameworkId },
    agent_id: { value: offer.agentId },
    hostname: offer.hostname,
    url: {
      scheme: 'http',
      address: { hostname: offer.hostname, ...(ip !== undefined ? { ip } : {}), port },
      path: '/slave(1)',
    },
    resources: [
      ...toMesosResources(offer.resources, {
        gpus: ctx.gpus,
        ...(allocation ? { allocationRole: allocation.role } : {}),
      }),
      ...(ctx.ports.length > 0
        ? [
            {
              name: 'ports',
              type: 'RANGES' as const,
              ranges: { range: toRanges(ctx.ports) },
              role: '*',
              ...(allocation ? { allocation_info: allocation } : {}),
            },
          ]
        : []),
    ],
    attributes: attributesOf(node),
    ...(allocation ? { allocation_info: allocation } : {}),
  };
}

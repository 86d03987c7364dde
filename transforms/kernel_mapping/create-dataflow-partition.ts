import { defineTransform, BrainsmithError, setInt } from '../../src/index.js';
import { HOST_NODES_KEY, dataflowPartition, hostNodesMessage, isKernelNode } from './_lib/partition.js';

export { dataflowPartition, hostNodesMessage, HOST_NODES_KEY, type DataflowPartition, type HostNode } from './_lib/partition.js';

/**
 * Marks the dataflow partition: kernel nodes get partition_id 0, the host nodes are listed (with the reason
 * each did not map) in the model's metadata `brainsmith.host_nodes` and logged. A model where nothing mapped,
 * or whose host nodes split the partition in two (FINN allows exactly one), is an error saying why.
 */
export default defineTransform({
  name: 'CreateDataflowPartition',
  stage: 'kernel_mapping',
  description: 'Mark the dataflow partition; report the nodes that stay on the host',
  apply(model, ctx) {
    const graph = model.graph;
    const p = dataflowPartition(model);
    if (p.kernels.length === 0) {
      const why = p.host.slice(0, 8).map((h) => `${h.name}: ${h.reason}`).join('; ');
      throw new BrainsmithError('E_NO_KERNELS', `no node of the model could be mapped to a hardware kernel (${why}${p.host.length > 8 ? '; …' : ''})`, { kind: 'input' });
    }
    if (p.splitting.length > 0) {
      throw new BrainsmithError('E_PARTITION_SPLIT', `host node${p.splitting.length > 1 ? 's' : ''} ${p.splitting.join(', ')} sit${p.splitting.length > 1 ? '' : 's'} between kernels, which would split the dataflow partition (only one is allowed): ${p.host.filter((h) => p.splitting.includes(h.name)).map((h) => `${h.name}: ${h.reason}`).join('; ')}`, { kind: 'input' });
    }
    let changed = false;
    for (const n of graph.nodeList()) {
      if (!isKernelNode(n)) continue;
      const had = n.attributes.find((a) => a.name === 'partition_id');
      if (had && Number(had.i ?? 0) === 0) continue;
      setInt(n, 'partition_id', 0);
      graph.attributesChanged(n);
      changed = true;
    }
    const value = JSON.stringify(p.host);
    const props = (model.proto.metadata_props ??= []);
    const entry = props.find((e) => e.key === HOST_NODES_KEY);
    if (entry?.value !== value) {
      if (entry) entry.value = value;
      else props.push({ key: HOST_NODES_KEY, value });
      changed = true;
    }
    const msg = hostNodesMessage(p);
    if (msg && changed) ctx.log.info(msg);
    return changed;
  },
});

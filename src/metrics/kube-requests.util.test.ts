import { classifyRequest } from './kube-requests.util.js';

describe('classifyRequest', () => {
  const base = 'https://127.0.0.1:6443';
  it.each([
    ['list nodes', 'GET', '/api/v1/nodes', 'list', 'nodes'],
    ['get a node', 'GET', '/api/v1/nodes/n1', 'get', 'nodes'],
    ['watch pods in all namespaces', 'GET', '/api/v1/pods?watch=true&resourceVersion=5', 'watch', 'pods'],
    ['legacy watch path', 'GET', '/api/v1/watch/namespaces/a/pods', 'watch', 'pods'],
    ['list pods of a namespace', 'GET', '/api/v1/namespaces/a/pods?labelSelector=x', 'list', 'pods'],
    ['create a pod', 'POST', '/api/v1/namespaces/a/pods', 'create', 'pods'],
    ['bind a pod', 'POST', '/api/v1/namespaces/a/pods/p/binding', 'create', 'pods/binding'],
    ['delete a pod', 'DELETE', '/api/v1/namespaces/a/pods/p', 'delete', 'pods'],
    ['delete a collection', 'DELETE', '/api/v1/namespaces/a/pods', 'deletecollection', 'pods'],
    ['list namespaces', 'GET', '/api/v1/namespaces', 'list', 'namespaces'],
    ['get a namespace', 'GET', '/api/v1/namespaces/a', 'get', 'namespaces'],
    [
      'patch a task status',
      'PATCH',
      '/apis/kmesos.io/v1alpha1/namespaces/a/tasks/t/status',
      'patch',
      'tasks/status',
    ],
    ['update a lease', 'PUT', '/apis/coordination.k8s.io/v1/namespaces/k/leases/kmesos', 'update', 'leases'],
    ['list cluster-scoped roles', 'GET', '/apis/kmesos.io/v1alpha1/resourceroles', 'list', 'resourceroles'],
    ['non-resource path', 'GET', '/version', 'get', 'nonresource'],
    ['api discovery', 'GET', '/apis', 'get', 'nonresource'],
  ])('%s', (_name, method, path, verb, resource) => {
    expect(classifyRequest(method, `${base}${path}`)).toEqual({ verb, resource });
  });
});

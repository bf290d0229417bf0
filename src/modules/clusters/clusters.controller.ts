import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { IfMatch } from '../../common/http/if-match.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { Audited } from '../audit/audited.decorator.js';
import { ClustersService } from './clusters.service.js';
import { RegisterClusterInput, UpdateClusterInput } from './dto/register-cluster.input.js';
import { ClusterModel, DrainResultModel } from './models/cluster.model.js';

@ApiTags('clusters')
@Controller('v1/clusters')
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Post()
  @PlatformAdmin()
  @Audited('cluster.register', 'cluster')
  @ApiOperation({ summary: 'Register a cluster from a kubeconfig, or server + CA + token or client certificate (credentials are write-only)' })
  @ApiCreatedResponse({ type: ClusterModel })
  register(@CurrentActor() actor: Actor, @Body() input: RegisterClusterInput) {
    return this.clusters.register(actor, input);
  }

  @Get()
  @PlatformAdmin()
  @ApiOperation({ summary: 'List clusters with their health and load' })
  @ApiPage(ClusterModel)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.clusters.list(actor, query);
  }

  @Get(':cluster')
  @PlatformAdmin()
  @ApiOperation({ summary: 'Get a cluster by name or id' })
  @ApiOkResponse({ type: ClusterModel })
  get(@CurrentActor() actor: Actor, @Param('cluster') cluster: string) {
    return this.clusters.get(actor, cluster);
  }

  @Patch(':cluster')
  @PlatformAdmin()
  @Audited('cluster.update', 'cluster')
  @ApiOperation({ summary: 'Change labels or the ingress class (If-Match honoured)' })
  @ApiOkResponse({ type: ClusterModel })
  update(@CurrentActor() actor: Actor, @Param('cluster') cluster: string, @Body() input: UpdateClusterInput, @IfMatch() version: number | undefined) {
    return this.clusters.update(actor, cluster, input, version);
  }

  @Post(':cluster/cordon')
  @HttpCode(200)
  @PlatformAdmin()
  @Audited('cluster.cordon', 'cluster')
  @ApiOperation({ summary: 'Stop placing new environments on the cluster' })
  @ApiOkResponse({ type: ClusterModel })
  cordon(@CurrentActor() actor: Actor, @Param('cluster') cluster: string) {
    return this.clusters.cordon(actor, cluster, true);
  }

  @Post(':cluster/uncordon')
  @HttpCode(200)
  @PlatformAdmin()
  @Audited('cluster.uncordon', 'cluster')
  @ApiOperation({ summary: 'Allow placements again' })
  @ApiOkResponse({ type: ClusterModel })
  uncordon(@CurrentActor() actor: Actor, @Param('cluster') cluster: string) {
    return this.clusters.cordon(actor, cluster, false);
  }

  @Post(':cluster/probe')
  @HttpCode(200)
  @PlatformAdmin()
  @Audited('cluster.probe', 'cluster')
  @ApiOperation({ summary: 'Probe reachability and version now' })
  @ApiOkResponse({ type: ClusterModel })
  probe(@CurrentActor() actor: Actor, @Param('cluster') cluster: string) {
    return this.clusters.probeNow(actor, cluster);
  }

  @Post(':cluster/drain')
  @HttpCode(200)
  @PlatformAdmin()
  @Audited('cluster.drain', 'cluster')
  @ApiOperation({ summary: 'Cordon the cluster and move its environments to other clusters' })
  @ApiOkResponse({ type: DrainResultModel })
  drain(@CurrentActor() actor: Actor, @Param('cluster') cluster: string) {
    return this.clusters.drain(actor, cluster);
  }

  @Delete(':cluster')
  @HttpCode(204)
  @PlatformAdmin()
  @Audited('cluster.delete', 'cluster')
  @ApiOperation({ summary: 'Forget a cluster that runs no environments' })
  @ApiNoContentResponse()
  delete(@CurrentActor() actor: Actor, @Param('cluster') cluster: string) {
    return this.clusters.delete(actor, cluster);
  }
}

from django.http import HttpResponse
from django.views.generic import DetailView, ListView

from catalog.models import Paper, Repository, Topic


def home(request):
    return HttpResponse("dlresources")


class PaperListView(ListView):
    model = Paper


class PaperDetailView(DetailView):
    model = Paper


class TopicDetailView(DetailView):
    model = Topic


class RepositoryDetailView(DetailView):
    model = Repository
